"""Every write to stations and opinions: one function per verb, atomic and audited."""
