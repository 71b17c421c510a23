// GitHub's own workflow parser (@actions/workflow-parser, from actions/languageservices), loaded
// for a test process. It imports its JSON schemas without `with { type: 'json' }` (it is built
// for bundlers), which Node's ESM loader refuses: actions/languageservices#387. A resolve hook
// adds the attribute to those imports only; registered once per process.
import { register } from 'node:module';

type WorkflowParser = typeof import('@actions/workflow-parser');

let registered = false;

/** The parser module, with the hook in place. */
export async function loadWorkflowParser(): Promise<WorkflowParser> {
  if (!registered) {
    const hook = `export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      if (result.url.includes('/@actions/workflow-parser/') && result.url.endsWith('.json')) {
        return { ...result, importAttributes: { ...context.importAttributes, type: 'json' } };
      }
      return result;
    }`;
    register(`data:text/javascript,${encodeURIComponent(hook)}`);
    registered = true;
  }
  return import('@actions/workflow-parser');
}
