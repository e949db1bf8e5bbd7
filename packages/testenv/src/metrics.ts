// Reading a process's Prometheus endpoint in tests and benchmarks (e.g. how many API writes a controller made).

/**
 * The sum of a metric over its label sets, as served at http://127.0.0.1:<port>/metrics (0 when absent); only
 * the series whose line `where` accepts (e.g. to leave out resource="leases").
 */
export async function metricTotal(
  port: number,
  name: string,
  where: (series: string) => boolean = () => true,
): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .filter(where)
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}
