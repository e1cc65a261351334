"""publisher: writes a commodity research desk's daily report from a dataset snapshot."""
