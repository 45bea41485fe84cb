"""Every write to the deputies' records: one function per verb, atomic and audited."""
