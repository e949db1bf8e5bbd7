// Reading a process's Prometheus endpoint in tests and benchmarks (e.g. how many API writes a controller made).

/** The sum of a metric over all its label sets, as served at http://127.0.0.1:<port>/metrics (0 when absent). */
export async function metricTotal(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}
