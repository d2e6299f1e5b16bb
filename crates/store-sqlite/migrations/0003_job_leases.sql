-- A running job is held under a lease that its worker renews; when the lease runs out (the
-- node stopped without a word) any node takes the job again. Jobs left running before leases
-- existed have none and are taken at once.
ALTER TABLE jobs ADD COLUMN lease_until INTEGER;
CREATE INDEX jobs_leased ON jobs (state, lease_until);
