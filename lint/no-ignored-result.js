// @ts-check
// Lint rule: a Result (src/core/result.ts) is never dropped. A write that returns one can refuse
// (a stale version, a rule); a statement that ignores it carries on as if it had not.

/** @typedef {import('typescript').Type} Type */
/** @typedef {import('typescript').TypeChecker} TypeChecker */

/**
 * Whether `type` is a Result: the alias of src/core/result.ts, or a union shaped like one (every
 * member has a boolean `ok`, and some member a `value` or an `error`), as inference may leave it.
 * @param {TypeChecker} checker
 * @param {Type} type
 */
function isResult(checker, type) {
  if (type.aliasSymbol?.getName() === 'Result') return true;
  if (!type.isUnion()) return false;
  const members = type.types.filter((t) => (t.getFlags() & (32768 | 65536 | 16384)) === 0); // undefined, null, void
  if (members.length === 0) return false;
  let carries = false;
  for (const member of members) {
    const ok = member.getProperty('ok');
    if (ok === undefined) return false;
    const okType = checker.getTypeOfSymbol(ok);
    if ((okType.getFlags() & 512) === 0) return false; // a boolean literal
    if (member.getProperty('value') !== undefined || member.getProperty('error') !== undefined)
      carries = true;
  }
  return carries;
}

/**
 * Whether `type` is a Result or a promise of one.
 * @param {TypeChecker} checker
 * @param {Type} type
 */
function isResultOrPromised(checker, type) {
  if (isResult(checker, type)) return true;
  const awaited = checker.getAwaitedType(type);
  return awaited !== undefined && awaited !== type && isResult(checker, awaited);
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'A Result (or a promise of one) may not be ignored: check `ok`, return it, or assign it',
    },
    messages: {
      ignored:
        'This Result is ignored: a refusal here would go unnoticed. Check `.ok` (and return the error), or return the Result.',
      voided:
        '`void` drops a Result: a refusal here would go unnoticed. Check `.ok` (and return the error), or return the Result.',
    },
    schema: [],
  },
  create(context) {
    const services = context.sourceCode.parserServices;
    if (services?.program == null || services.esTreeNodeToTSNodeMap == null)
      throw new Error('no-ignored-result needs type information (parserOptions.projectService)');
    /** @type {TypeChecker} */
    const checker = services.program.getTypeChecker();
    /** @type {{ get(node: unknown): import('typescript').Node }} */
    const map = services.esTreeNodeToTSNodeMap;
    /**
     * @param {import('estree').Node} node
     * @returns {Type}
     */
    const typeOf = (node) => checker.getTypeAtLocation(map.get(node));
    return {
      ExpressionStatement(node) {
        const expression = node.expression;
        // `void x` is reported below, with its own message.
        if (expression.type === 'UnaryExpression' && expression.operator === 'void') return;
        // A directive ('use strict') or an assignment keeps or is no value.
        if (expression.type === 'AssignmentExpression' || expression.type === 'Literal') return;
        if (isResultOrPromised(checker, typeOf(expression)))
          context.report({ node, messageId: 'ignored' });
      },
      UnaryExpression(node) {
        if (node.operator !== 'void') return;
        if (isResultOrPromised(checker, typeOf(node.argument)))
          context.report({ node, messageId: 'voided' });
      },
    };
  },
};

export default rule;
