/** `notes-api` for `notes-api`, `notes-api:prod`, `arn:aws:lambda:r:1:function:notes-api[:7]` or `1:function:notes-api`. */
export function functionBaseName(functionName: string): string {
  const parts = functionName.split(':');
  const at = parts.indexOf('function');
  return (at >= 0 ? parts[at + 1] : parts[0]) || functionName;
}
