import type { StageSettings } from '../model/settings.js';
import { functionBaseName } from '../model/lambda.js';

/** `<s3-prefix><function>/<sha256 hex>.zip`: the same code always lands on the same key. */
export function artifactKey(settings: StageSettings, sha256Hex: string): string {
  return `${settings.s3Prefix}${functionBaseName(settings.functionName)}/${sha256Hex}.zip`;
}

/** Hex of a base64 CodeSha256. */
export function sha256HexOf(codeSha256: string): string {
  return Buffer.from(codeSha256, 'base64').toString('hex');
}

