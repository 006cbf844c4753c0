// Starts a bench server (bench/api-server.ts) in its own process and reads the first line it
// writes: its base URL, or (mode `reads`) a JSON object with it. BENCH_SERVER_NODE_ARGS adds Node
// options to every such server (`--cpu-prof --cpu-prof-dir=/tmp/prof` profiles them).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export async function startServer(
  mode: 'bare' | 'eligibility' | 'postgres' | 'reads' | 'replay',
  args: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<{ child: ChildProcess; base: string }> {
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const script = ['--import', 'tsx', 'bench/api-server.ts', mode, ...args];
  const child = spawn(process.execPath, [...nodeArgs, ...script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
  });
  const lines = createInterface({ input: child.stdout });
  const base = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  return { child, base };
}
