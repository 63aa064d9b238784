/**
 * Heavy reads (exports, explanations of long books) must not hold the event loop: other requests,
 * /health among them, would wait behind them. They work in slices and hand the loop back between.
 */

/** How long one slice may run before the loop is handed back (measured: /health p-max 13–23 ms during a 50k-event export at 4 ms, 20–37 ms at 8 ms). */
export const SLICE_BUDGET_MS = 4;

/** Lets every pending I/O callback and timer run (a resolved promise would not: it is a microtask). */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Counts a slice's time; `pause()` yields to the event loop once the slice has used its budget. */
export class EventLoopSlicer {
  private sliceStarted = performance.now();

  constructor(private readonly budgetMs = SLICE_BUDGET_MS) {}

  async pause(): Promise<void> {
    if (performance.now() - this.sliceStarted < this.budgetMs) return;
    await yieldToEventLoop();
    this.sliceStarted = performance.now();
  }
}

/** Runs a generator of small steps (see explainFigureSteps) to its end, yielding to the loop between slices. */
export const runInSlices = async <R>(steps: Generator<void, R, void>, slicer = new EventLoopSlicer()): Promise<R> => {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    await slicer.pause();
  }
};
