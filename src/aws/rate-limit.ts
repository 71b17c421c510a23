/**
 * Lambda's control plane allows an account 15 requests per second in a region, across every API
 * but invocations, GetFunction and GetPolicy ("Control plane API requests (excludes invocation,
 * GetFunction, and GetPolicy requests)": 15 requests per second across all APIs, Lambda quotas,
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). A release of several
 * functions runs every function at once (release/group.ts), so its Lambda client in each region
 * sends through one limiter: at most `perSecond` such requests in any second, each attempt of the
 * SDK's retries counted, as they arrive at Lambda. The default, 10, leaves room for whatever else the account runs.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { LambdaClient } from '@aws-sdk/client-lambda';

/** The requests the quota leaves out (the SDK's command names). */
const UNCOUNTED = new Set(['GetFunctionCommand', 'GetPolicyCommand', 'InvokeCommand', 'InvokeWithResponseStreamCommand']);

export const CONTROL_PLANE_REQUESTS_PER_SECOND = 10;

/**
 * At most `perSecond` requests in any second, as Lambda counts them (on arrival): a request may go
 * when fewer than `perSecond` are in flight or were answered within the last second. A request
 * arrives before it is answered, so any `perSecond` + 1 requests in a row arrive at least a second
 * apart, however long each took to get there. Requests go in the order they asked.
 */
export class RequestRateLimiter {
  /** When each request answered within the last second was answered. */
  private readonly answered: number[] = [];
  private inFlight = 0;
  private queue: Promise<void> = Promise.resolve();
  /** Resolved when a request in flight is answered. */
  private wake: () => void = () => undefined;

  constructor(
    private readonly perSecond: number = CONTROL_PLANE_REQUESTS_PER_SECOND,
    private readonly now: () => number = () => Date.now(),
    private readonly sleep: (ms: number) => Promise<unknown> = (ms) => delay(ms),
  ) {
    if (!Number.isInteger(perSecond) || perSecond < 1) throw new Error(`a request rate must be a whole number of at least 1, not ${perSecond}`);
  }

  /** Set by open(): requests go at once. */
  private opened = false;

  /**
   * From now on every request goes at once, without waiting for a place: a release that failed
   * puts every alias back in one round (release/group.ts), and safety beats the rate. Lambda may
   * throttle a few of those writes; the SDK's retries send them again.
   */
  open(): void {
    this.opened = true;
    this.wake();
  }

  /** Resolves when a request may be sent now, with the function to call once it is answered (or failed). */
  acquire(): Promise<() => void> {
    if (this.opened) return Promise.resolve(() => undefined);
    const turn = this.queue.then(async () => {
      for (;;) {
        const t = this.now();
        while (this.answered.length > 0 && (this.answered[0] ?? 0) <= t - 1000) this.answered.shift();
        if (this.opened) return () => undefined;
        if (this.inFlight + this.answered.length < this.perSecond) {
          this.inFlight++;
          let released = false;
          return () => {
            if (released) return;
            released = true;
            this.inFlight--;
            this.answered.push(this.now());
            this.wake();
          };
        }
        const oldest = this.answered[0];
        const answeredOne = new Promise<void>((resolve) => (this.wake = resolve));
        await (oldest === undefined ? answeredOne : Promise.race([answeredOne, this.sleep(oldest + 1000 - t + 1)]));
      }
    });
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }
}

/** Every request the client sends (each retry too) that counts against the quota waits for the limiter first. */
export function limitControlPlane(client: LambdaClient, limiter: RequestRateLimiter): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (UNCOUNTED.has(context.commandName ?? '')) return next(args);
      const answered = await limiter.acquire();
      try {
        return await next(args);
      } finally {
        answered();
      }
    },
    // In the finalize step below the SDK's retry middleware: every attempt is counted.
    { step: 'finalizeRequest', priority: 'low', name: 'stageDeployControlPlaneRate' },
  );
}
