/**
 * Lambda's control plane allows an account 15 requests per second in a region, across every API
 * but invocations, GetFunction and GetPolicy ("Control plane API requests (excludes invocation,
 * GetFunction, and GetPolicy requests)": 15 requests per second across all APIs, Lambda quotas,
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). A release of several
 * functions runs every function at once (release/group.ts), so its Lambda client in each region
 * sends through one limiter: at most `perSecond` such requests in any second, each attempt of the
 * SDK's retries counted. The default, 10, leaves room for whatever else the account runs.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { LambdaClient } from '@aws-sdk/client-lambda';

/** The requests the quota leaves out (the SDK's command names). */
const UNCOUNTED = new Set(['GetFunctionCommand', 'GetPolicyCommand', 'InvokeCommand', 'InvokeWithResponseStreamCommand']);

export const CONTROL_PLANE_REQUESTS_PER_SECOND = 10;

/** At most `perSecond` acquisitions in any window of one second, in the order asked (a sliding window). */
export class RequestRateLimiter {
  private readonly sent: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly perSecond: number = CONTROL_PLANE_REQUESTS_PER_SECOND,
    private readonly now: () => number = () => Date.now(),
    private readonly sleep: (ms: number) => Promise<unknown> = (ms) => delay(ms),
  ) {
    if (!Number.isInteger(perSecond) || perSecond < 1) throw new Error(`a request rate must be a whole number of at least 1, not ${perSecond}`);
  }

  /** Resolves when a request may be sent now. */
  acquire(): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const t = this.now();
        while (this.sent.length > 0 && (this.sent[0] ?? 0) <= t - 1000) this.sent.shift();
        const oldest = this.sent[0];
        if (this.sent.length < this.perSecond || oldest === undefined) {
          this.sent.push(t);
          return;
        }
        await this.sleep(oldest + 1000 - t + 1);
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

/** Every request the client sends (each retry too) that counts against the quota waits for the limiter first. */
export function limitControlPlane(client: LambdaClient, limiter: RequestRateLimiter): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!UNCOUNTED.has(context.commandName ?? '')) await limiter.acquire();
      return next(args);
    },
    // In the finalize step below the SDK's retry middleware: every attempt is counted.
    { step: 'finalizeRequest', priority: 'low', name: 'stageDeployControlPlaneRate' },
  );
}
