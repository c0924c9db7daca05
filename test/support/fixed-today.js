// No test reads the clock: code that takes "today" at a CLI edge (synth, the Pulumi entry
// point) gets this fixed date through AGENT_PLATFORM_TODAY; tests that need another date pass it.
process.env.AGENT_PLATFORM_TODAY = '2026-12-02';
