// Everything the bench starts (servers, workerd processes, child processes) is registered here
// and stopped in reverse order, whether the run ends normally, fails, or is interrupted.
const stops = [];

/** Registers a function that stops something the bench started. */
export function track(stop) {
  stops.push(stop);
}

/** Stops everything still running, newest first; never throws. */
export async function stopAll() {
  while (stops.length > 0) {
    const stop = stops.pop();
    try {
      await Promise.race([stop(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    } catch (err) {
      console.error(`bench: cleanup step failed: ${err instanceof Error ? err.message : err}`);
    }
  }
}

/** Runs `fn` with the resources it tracks stopped afterwards (success or failure). */
export async function scoped(fn) {
  const mark = stops.length;
  try {
    return await fn();
  } finally {
    while (stops.length > mark) {
      const stop = stops.pop();
      await Promise.resolve()
        .then(stop)
        .catch((err) => console.error(`bench: cleanup step failed: ${err instanceof Error ? err.message : err}`));
    }
  }
}
