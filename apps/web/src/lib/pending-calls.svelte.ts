/** What a call to the server answers, as far as these helpers look. */
export interface CallAnswer {
  readonly ok: boolean;
  readonly error?: string;
}

/**
 * Whether a call to the server is under way (controls wait meanwhile), and what a refused call
 * tells the person: shared by the workshop's and the rounds' state.
 */
export class PendingCalls {
  #busy = $state(false);

  constructor(private readonly say: (message: string) => void) {}

  get busy(): boolean {
    return this.#busy;
  }

  /** Runs the call; a refusal is said as "<failure>: <the server's reason>". Whether it went through. */
  async run(failure: string, call: () => Promise<CallAnswer>): Promise<boolean> {
    const refusal = await this.ask(call);
    if (refusal !== null) this.say(`${failure}: ${refusal}`);
    return refusal === null;
  }

  /** Runs the call and returns the server's refusal, or null when it went through (the caller says it). */
  async ask(call: () => Promise<CallAnswer>): Promise<string | null> {
    this.#busy = true;
    try {
      const answer = await call();
      return answer.ok ? null : (answer.error ?? 'the server refused');
    } finally {
      this.#busy = false;
    }
  }
}
