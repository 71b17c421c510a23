// vitest global setup: the integration and end-to-end rings need moto_server. Fail early and
// say how to install it, rather than letting every test time out.
import { assertMotoInstalled } from './harness/moto.mjs';

export default function setup(): void {
  assertMotoInstalled();
}
