#!/usr/bin/env python3
"""Prepares neural voice models for lector: each gets a second output, `durations`, the
predicted length of every phoneme in frames, so that the engine can time every word.

Usage: prepare-model.py kokoro SHA256 OUTPUT PART [PART ...] [--float | --calibrate INPUTS VOICES]
       prepare-model.py piper MODEL

kokoro: joins the parts of Kokoro-82M's int8 model, checks them against the SHA-256, and adds
the output (frames of 600 samples at 24 kHz: the duration predictor's Round → Clip → Cast).

piper: rewrites a Piper (VITS) model in place with the output (frames of 256 samples: the
`Ceil` of the duration predictor); a model that has it already is left as it is.

With --float, every quantized product of the published int8 model (DynamicQuantizeLinear →
ConvInteger or MatMulInteger → Cast → Mul by the scales) becomes one float Conv or MatMul with
the weights dequantized once. On processors without fast int8 dot products (no AVX-512 VNNI)
that runs faster; with them, the int8 model is the faster one (docs/benchmarks.md), so the
set-up keeps its products quantized.

With --calibrate (what the set-up does), the convolutions of the vocoder's residual blocks (the
generator's `resblocks` and `noise_res`, where most of the time goes: they run at the audio's
rate) are quantized statically instead: the published model quantizes each input anew at every
call (DynamicQuantizeLinear → ConvInteger → Cast → Mul), while fixed ranges, measured by running
the model on INPUTS (scripts/kokoro-calibration.json: phoneme ids lector gives the model, and
the voice whose style goes with them, read from VOICES), let ONNX Runtime run each as one
QLinearConv; the other convolutions go back to float and the matrix products stay as
published. Measured: real-time factor 0.40 → 0.22, closer to the float model's audio than the
published model (docs/benchmarks.md).

Needs the `onnx` and `numpy` packages, and `onnxruntime` for --calibrate (scripts/setup
installs them in a throwaway venv).
"""

import argparse
import hashlib
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def join_parts(parts, expected):
    digest = hashlib.sha256()
    blob = bytearray()
    for part in parts:
        with open(part, "rb") as f:
            data = f.read()
        digest.update(data)
        blob += data
    if digest.hexdigest() != expected:
        sys.exit(f"prepare-model: the joined parts have SHA-256 {digest.hexdigest()}, expected {expected}")
    return bytes(blob)


def to_float(graph, integer_ops):
    """Each quantized product (DynamicQuantizeLinear → ConvInteger or MatMulInteger → [Add of
    the quantized bias] → Cast → Mul by the two scales) becomes one float Conv or MatMul on the
    unquantized input, with the weights (and bias) dequantized once, here."""
    initializers = {init.name: init for init in graph.initializer}
    producers = {out: node for node in graph.node for out in node.output}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)

    def only(name, op_type):
        after = consumers.get(name, [])
        return after[0] if len(after) == 1 and after[0].op_type == op_type else None

    def array(name):
        return numpy_helper.to_array(initializers[name])

    def float_bias(name):
        """The float bias behind Reshape(Cast(Floor(Div(bias, scales))))."""
        node = producers.get(name)
        for op_type in ("Reshape", "Cast", "Floor", "Div"):
            if node is None or node.op_type != op_type:
                return None
            if op_type == "Div":
                return node.input[0] if node.input[0] in initializers else None
            node = producers.get(node.input[0])
        return None

    replaced = {}
    for node in graph.node:
        if node.op_type not in integer_ops:
            continue
        xq, w, _, w_zero = (list(node.input) + ["", "", "", ""])[:4]
        quantize = producers.get(xq)
        if quantize is None or quantize.op_type != "DynamicQuantizeLinear" or w not in initializers:
            continue
        bias = None
        after = consumers.get(node.output[0], [])
        if len(after) == 1 and after[0].op_type == "Add":
            add = after[0]
            bias = float_bias(add.input[1])
            cast = only(add.output[0], "Cast") if bias else None
        else:
            add, cast = None, only(node.output[0], "Cast")
        scale_mul = only(cast.output[0], "Mul") if cast else None
        if scale_mul is None:
            continue
        scales = producers.get(scale_mul.input[1])
        w_scale = next((i for i in scales.input if i in initializers), None) if scales else None
        if w_scale is None:
            continue
        weight = array(w).astype(np.float32)
        zero = array(w_zero).astype(np.float32) if w_zero else np.float32(0)
        scale = array(w_scale).astype(np.float32)
        if node.op_type == "ConvInteger" and zero.ndim == 1:
            zero = zero.reshape((-1,) + (1,) * (weight.ndim - 1))
        if node.op_type == "ConvInteger" and scale.ndim == 1:
            scale = scale.reshape((-1,) + (1,) * (weight.ndim - 1))
        weight = (weight - zero) * scale
        weight_name = f"{w}_dequantized"
        if weight_name not in initializers:
            tensor = numpy_helper.from_array(weight, weight_name)
            graph.initializer.append(tensor)
            initializers[weight_name] = tensor
        inputs = [quantize.input[0], weight_name] + ([bias] if bias else [])
        name = (node.name or node.output[0]) + "_float"
        if node.op_type == "ConvInteger":
            float_node = helper.make_node("Conv", inputs, [scale_mul.output[0]], name=name)
            float_node.attribute.extend(node.attribute)
        else:
            float_node = helper.make_node("MatMul", inputs, [scale_mul.output[0]], name=name)
        replaced[id(scale_mul)] = float_node
        for gone in (node, add, cast):
            if gone is not None:
                replaced[id(gone)] = None
    nodes = []
    for node in graph.node:
        if id(node) in replaced:
            if replaced[id(node)] is not None:
                nodes.append(replaced[id(node)])
        else:
            nodes.append(node)
    del graph.node[:]
    graph.node.extend(nodes)
    prune(graph)


def prune(graph):
    """Drops nodes whose outputs nothing reads, and initializers no node reads."""
    while True:
        needed = {out.name for out in graph.output}
        for node in graph.node:
            needed.update(node.input)
        kept = [node for node in graph.node if any(out in needed for out in node.output)]
        if len(kept) == len(graph.node):
            break
        del graph.node[:]
        graph.node.extend(kept)
    used = {name for node in graph.node for name in node.input}
    kept = [init for init in graph.initializer if init.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)


def expose_piper_durations(graph):
    """VITS rounds each phoneme's predicted length up with Ceil, then sums and cumsums it."""
    if any(out.name == "durations" for out in graph.output):
        return False
    ceil = [node for node in graph.node if node.op_type == "Ceil"]
    if len(ceil) != 1:
        sys.exit(f"prepare-model: expected one Ceil (the duration predictor), found {len(ceil)}")
    graph.node.append(helper.make_node("Identity", [ceil[0].output[0]], ["durations"], name="durations"))
    graph.output.append(helper.make_tensor_value_info("durations", TensorProto.FLOAT, None))
    return True


def expose_durations(graph):
    """The duration predictor ends in Round → Clip (at least one frame) → Cast to int64."""
    producers = {out: node for node in graph.node for out in node.output}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    for node in graph.node:
        if node.op_type != "Clip" or producers.get(node.input[0], None) is None:
            continue
        if producers[node.input[0]].op_type != "Round":
            continue
        after = consumers.get(node.output[0], [])
        cast = next((c for c in after if c.op_type == "Cast"), None)
        if cast is None:
            continue
        graph.node.append(helper.make_node("Identity", [cast.output[0]], ["durations"], name="durations"))
        graph.output.append(helper.make_tensor_value_info("durations", TensorProto.INT64, None))
        return
    sys.exit("prepare-model: the duration predictor (Round → Clip → Cast) was not found")


# The vocoder's residual blocks: the convolutions quantized with fixed ranges.
VOCODER_BLOCKS = ("/decoder/decoder/generator/resblocks.", "/decoder/decoder/generator/noise_res.")
# Each range covers this share of the values seen: the rarest peaks are clipped so that the
# rest keeps its resolution (closer to the float model than the plain minimum and maximum).
PERCENTILE = 99.999


def quantize_vocoder(model, output, inputs_path, voices):
    """Turns the vocoder's residual-block convolutions into QLinearConv with ranges measured on
    the calibration inputs, and writes the model to `output`."""
    import json
    import tempfile

    from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat,
                                          QuantType, quantize_static)

    def in_blocks(node):
        return node.name.startswith(VOCODER_BLOCKS)

    # Every convolution back to float weights first: those outside the blocks run at the
    # phoneme or frame rate, where float costs next to nothing and keeps the pitch and energy
    # the vocoder is given closer to the float model's.
    to_float(model.graph, {"ConvInteger"})
    chosen = [node.name for node in model.graph.node if node.op_type == "Conv" and in_blocks(node)]
    if len(chosen) != 48:
        sys.exit(f"prepare-model: expected the vocoder's 48 block convolutions, found {len(chosen)}")
    with open(inputs_path, encoding="utf-8") as f:
        entries = json.load(f)["inputs"]

    class Inputs(CalibrationDataReader):
        """The calibration inputs; read a range at a time (one, with `CalibStridedMinMax`), so
        that only one input's intermediate values are held at once."""

        def __init__(self):
            self.set_range(0, len(entries))

        def __len__(self):
            return len(entries)

        def set_range(self, start_index, end_index):
            self.pending = iter(entries[start_index:end_index])

        def get_next(self):
            entry = next(self.pending, None)
            if entry is None:
                return None
            ids = entry["ids"]
            styles = np.fromfile(os.path.join(voices, entry["voice"] + ".bin"), dtype=np.float32).reshape(-1, 256)
            # The style row of the input's length, as the engine picks it.
            row = min(max(len(ids), 1), len(styles)) - 1
            return {
                "tokens": np.array([[0] + ids + [0]], dtype=np.int64),
                "style": styles[row][None, :],
                "speed": np.array([1.0], dtype=np.float32),
            }

    with tempfile.TemporaryDirectory() as work:
        unquantized = os.path.join(work, "float-blocks.onnx")
        onnx.save(model, unquantized)
        partial = output + ".partial"
        quantize_static(unquantized, partial, Inputs(), quant_format=QuantFormat.QOperator,
                        op_types_to_quantize=["Conv"], nodes_to_quantize=chosen, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        calibrate_method=CalibrationMethod.Percentile,
                        extra_options={"CalibPercentile": PERCENTILE, "CalibStridedMinMax": 1})
        os.replace(partial, output)


def save(model, path):
    partial = path + ".partial"
    onnx.save(model, partial)
    os.replace(partial, path)


def main():
    parser = argparse.ArgumentParser()
    engines = parser.add_subparsers(dest="engine", required=True)
    kokoro = engines.add_parser("kokoro")
    kokoro.add_argument("sha256")
    kokoro.add_argument("output")
    kokoro.add_argument("parts", nargs="+")
    variant = kokoro.add_mutually_exclusive_group()
    variant.add_argument("--float", action="store_true", help="quantized products to float")
    variant.add_argument("--calibrate", nargs=2, metavar=("INPUTS", "VOICES"),
                        help="vocoder blocks quantized with ranges measured on these inputs")
    piper = engines.add_parser("piper")
    piper.add_argument("model")
    args = parser.parse_args()
    if args.engine == "piper":
        model = onnx.load(args.model)
        if expose_piper_durations(model.graph):
            save(model, args.model)
        return
    model = onnx.load_from_string(join_parts(args.parts, args.sha256.strip()))
    if args.float:
        to_float(model.graph, {"ConvInteger", "MatMulInteger"})
    expose_durations(model.graph)
    if args.calibrate:
        quantize_vocoder(model, args.output, *args.calibrate)
    else:
        save(model, args.output)


if __name__ == "__main__":
    main()
