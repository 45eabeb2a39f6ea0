#!/usr/bin/env node
// Production React is ~2.5x cheaper in CPU (STACK-NOTES); set before React loads.
process.env.NODE_ENV ??= 'production';
// chalk ignores NO_COLOR; FORCE_COLOR=0 is what turns it off, and must be set before Ink loads.
if ((process.env.NO_COLOR ?? '') !== '' || process.argv.includes('--no-color')) process.env.FORCE_COLOR = '0';

const { main } = await import('../dist/src/cli/main.bundle.js');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// The command is done: a timer still pending (an action still verifying after `q`) must not
// hold the terminal. The grace lets piped output drain first; unref'd, it never delays an exit.
setTimeout(() => process.exit(code), 2000).unref();
