// Types of the local lint rule (written in JavaScript so ESLint loads it as it is).
import type { Rule } from 'eslint';

declare const rule: Rule.RuleModule;
export default rule;
