// Lint: neostandard (the style of the Fastify ecosystem) with its TypeScript rules, and two rules turned off for Herald.
import neostandard from 'neostandard'

export default [
  ...neostandard({
    ts: true,
    ignores: ['dist/**', 'data/**', 'coverage/**', '.tap/**', 'node_modules/**']
  }),
  {
    rules: {
      // Herald matches control characters on purpose: finding and refusing them is one of its rules.
      'no-control-regex': 'off',
      // A TypeBox schema and its static type share a name (`const X = Type.Object(...)`, `type X = Static<typeof X>`),
      // as TypeBox documents; TypeScript itself refuses a real redeclaration.
      '@typescript-eslint/no-redeclare': 'off'
    }
  }
]
