//! Word lists: acronyms said as words, abbreviations, units, currencies, months.

/// Acronyms said as words. Any other all-capital word is spelled out unless it reads as a
/// word (see `acronym`).
pub const SAID_AS_WORDS: &[&str] = &[
    "NATO", "ASEAN", "UNESCO", "UNICEF", "NASA", "OPEC", "FIFA", "UEFA", "AIDS", "SARS", "MERS", "COVID",
    "NAFTA", "ISIS", "OFCOM", "OFSTED", "INTERPOL", "EUROPOL", "LASER", "RADAR", "SWAT", "SCOTUS", "UNIFIL",
    "FEMA", "NIMBY", "GIF", "JPEG", "PIN", "SIM", "ZIP", "CAPTCHA", "ASAP", "YOLO", "HAMAS", "FRELIMO",
    "MERCOSUR", "ANZAC",
];

/// Acronyms spelled out even though they look like words.
pub const SPELLED_OUT: &[&str] = &[
    "US", "UK", "EU", "UN", "UAE", "USA", "BBC", "CNN", "PLA", "CEO", "CFO", "GDP", "IMF", "WHO", "FBI",
    "CIA", "NHS", "MTR", "HK", "HKU", "PRC", "ROC", "DPP", "KMT", "CCP", "NGO", "AI", "IT", "TV", "PR", "ID",
    "IOU", "ICU", "MP", "MPs", "PM", "DJ", "IPO", "ETF", "VAT", "LGBT", "AFP", "AP", "EPA", "ABC", "NBC",
    "CBS", "ESPN", "SEC", "OECD", "WTO", "ICC", "IOC", "NFL", "NBA", "MLB", "NHL", "USB", "PDF", "SUV", "EV",
    "EVs", "BYD", "GOP", "DUP", "SNP", "LED", "DNA", "RNA", "HIV", "VIP", "PhD", "BMW", "NEC", "MOD", "DOJ",
    "DHS", "HMS", "RAF", "SAR", "MAS", "FED", "TSA", "SEN", "BOJ", "PBOC", "ECB", "MIT", "NUS", "CUHK",
    "POW", "NYT", "WSJ", "LAX", "JFK", "NEV",
];

/// Abbreviations with a full stop and what is said: titles and common short forms.
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("Mr.", "Mister"),
    ("Mrs.", "Missus"),
    ("Ms.", "Miz"),
    ("Dr.", "Doctor"),
    ("Prof.", "Professor"),
    ("Gen.", "General"),
    ("Sen.", "Senator"),
    ("Rep.", "Representative"),
    ("Gov.", "Governor"),
    ("Lt.", "Lieutenant"),
    ("Col.", "Colonel"),
    ("Capt.", "Captain"),
    ("Sgt.", "Sergeant"),
    ("Rev.", "Reverend"),
    ("Fr.", "Father"),
    ("Jr.", "Junior"),
    ("Sr.", "Senior"),
    ("vs.", "versus"),
    ("vs", "versus"),
    ("v.", "versus"),
    ("etc.", "et cetera"),
    ("e.g.", "for example"),
    ("i.e.", "that is"),
    ("approx.", "approximately"),
    ("Ave.", "Avenue"),
    ("Rd.", "Road"),
    ("Mt.", "Mount"),
    ("Ft.", "Fort"),
    ("Inc.", "Incorporated"),
    ("Corp.", "Corporation"),
    ("Co.", "Company"),
    ("Ltd.", "Limited"),
    ("Ltd", "Limited"),
    ("Dept.", "Department"),
    ("Univ.", "University"),
    ("est.", "established"),
];

pub const MONTHS: &[(&str, &str)] = &[
    ("January", "January"),
    ("February", "February"),
    ("March", "March"),
    ("April", "April"),
    ("May", "May"),
    ("June", "June"),
    ("July", "July"),
    ("August", "August"),
    ("September", "September"),
    ("October", "October"),
    ("November", "November"),
    ("December", "December"),
    ("Jan", "January"),
    ("Feb", "February"),
    ("Mar", "March"),
    ("Apr", "April"),
    ("Jun", "June"),
    ("Jul", "July"),
    ("Aug", "August"),
    ("Sep", "September"),
    ("Sept", "September"),
    ("Oct", "October"),
    ("Nov", "November"),
    ("Dec", "December"),
];

/// The month named by a full or short name ("Sept" → September).
pub fn month(name: &str) -> Option<&'static str> {
    let name = name.trim_end_matches('.');
    MONTHS.iter().find(|(short, _)| short.eq_ignore_ascii_case(name)).map(|(_, full)| *full)
}

/// Month number (1–12) to its name.
pub fn month_name(n: u32) -> Option<&'static str> {
    MONTHS.get(n.checked_sub(1)? as usize).filter(|_| n <= 12).map(|(_, full)| *full)
}

/// Units after a number: (written, singular, plural).
pub const UNITS: &[(&str, &str, &str)] = &[
    ("km/h", "kilometre per hour", "kilometres per hour"),
    ("kph", "kilometre per hour", "kilometres per hour"),
    ("mph", "mile per hour", "miles per hour"),
    ("sq km", "square kilometre", "square kilometres"),
    ("km²", "square kilometre", "square kilometres"),
    ("sq m", "square metre", "square metres"),
    ("m²", "square metre", "square metres"),
    ("sq ft", "square foot", "square feet"),
    ("km", "kilometre", "kilometres"),
    ("kg", "kilogram", "kilograms"),
    ("cm", "centimetre", "centimetres"),
    ("mm", "millimetre", "millimetres"),
    ("kWh", "kilowatt hour", "kilowatt hours"),
    ("kW", "kilowatt", "kilowatts"),
    ("MW", "megawatt", "megawatts"),
    ("GW", "gigawatt", "gigawatts"),
    ("GWh", "gigawatt hour", "gigawatt hours"),
    ("ft", "foot", "feet"),
    ("lbs", "pound", "pounds"),
    ("lb", "pound", "pounds"),
    ("mi", "mile", "miles"),
    ("ha", "hectare", "hectares"),
    ("mg", "milligram", "milligrams"),
    ("ml", "millilitre", "millilitres"),
    ("g", "gram", "grams"),
    ("GB", "gigabyte", "gigabytes"),
    ("MB", "megabyte", "megabytes"),
    ("TB", "terabyte", "terabytes"),
    ("Hz", "hertz", "hertz"),
    ("GHz", "gigahertz", "gigahertz"),
];

/// Currency signs and prefixes: (written, singular, plural).
pub const CURRENCIES: &[(&str, &str, &str)] = &[
    ("HK$", "Hong Kong dollar", "Hong Kong dollars"),
    ("US$", "US dollar", "US dollars"),
    ("S$", "Singapore dollar", "Singapore dollars"),
    ("A$", "Australian dollar", "Australian dollars"),
    ("C$", "Canadian dollar", "Canadian dollars"),
    ("NZ$", "New Zealand dollar", "New Zealand dollars"),
    ("NT$", "New Taiwan dollar", "New Taiwan dollars"),
    ("R$", "real", "reais"),
    ("$", "dollar", "dollars"),
    ("£", "pound", "pounds"),
    ("€", "euro", "euros"),
    ("¥", "yen", "yen"),
    ("₹", "rupee", "rupees"),
    ("₩", "won", "won"),
    ("RMB", "yuan", "yuan"),
];

/// Short scales after a number: "bn", "m", "k", "tn" and the words themselves.
pub fn scale(word: &str) -> Option<&'static str> {
    Some(match word {
        "tn" | "trillion" | "trn" => "trillion",
        "bn" | "billion" | "b" => "billion",
        "m" | "million" | "mn" | "mln" => "million",
        "k" | "thousand" => "thousand",
        _ => return None,
    })
}
