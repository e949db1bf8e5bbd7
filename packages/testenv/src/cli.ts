// pnpm cluster up|down|env [--name NAME] [--nodes N]
// Starts the same cluster the tests use, in the background, and prints how to point kubectl at it.
import { parseArgs } from 'node:util';
import { Cluster, startCluster, stopCluster } from './cluster.ts';
import { binDir } from './paths.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { name: { type: 'string', default: 'dev' }, nodes: { type: 'string', default: '1' } },
});
const command = positionals[0] ?? 'help';
const name = values.name;

function printEnv(cluster: Cluster): void {
  console.log(`export KUBECONFIG=${cluster.kubeconfigPath}`);
  console.log(`export PATH=${binDir()}:$PATH`);
}

switch (command) {
  case 'up': {
    await stopCluster(name);
    console.error(`starting cluster ${name}...`);
    const cluster = await startCluster({ name, nodes: Number(values.nodes), ownerPid: null });
    console.error(
      `cluster ${name} is ready in ${cluster.startedMs} ms at ${cluster.server} (state: ${cluster.stateDir})`,
    );
    console.error(await cluster.kubectl(['get', 'nodes', '-o', 'wide']));
    console.error('Point your shell at it with:');
    printEnv(cluster);
    console.error(`Stop it with: ./dev stop   (or: pnpm cluster down --name ${name})`);
    break;
  }
  case 'down': {
    const stopped = await stopCluster(name);
    console.error(stopped ? `cluster ${name} stopped` : `no cluster named ${name} is running`);
    break;
  }
  case 'env': {
    printEnv(await Cluster.attach(name));
    break;
  }
  default:
    console.error('usage: pnpm cluster up|down|env [--name NAME] [--nodes N]');
    process.exit(2);
}
