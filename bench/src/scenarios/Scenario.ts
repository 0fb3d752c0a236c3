export interface ScenarioOptions {
  /** Short rounds for a smoke run. */
  quick: boolean;
  /** Optional filter inside a scenario (e.g. a phase title word). */
  only?: string;
}

export interface ScenarioResult {
  /** The body of the scenario's section in BENCHMARKS.md. */
  markdown: string;
}
