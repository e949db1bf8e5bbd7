// vitest globalSetup for integration projects: one real cluster per test run, shared by every project and
// worker. Workers find it through EEVEE_TEST_CLUSTER (set before they are forked). If EEVEE_TEST_CLUSTER is
// already set (e.g. to a cluster from `pnpm cluster up`), that cluster is used and left running.
import { Cluster } from './cluster.ts';
import { stateRoot } from './paths.ts';

interface SharedCluster {
  refs: number;
  starting?: Promise<Cluster>;
}

// Each project loads this file separately; globalThis is what they share in the main process.
const key = Symbol.for('eevee.testenv.sharedCluster');
const shared = ((globalThis as Record<symbol, unknown>)[key] ??= { refs: 0 }) as SharedCluster;

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.EEVEE_TEST_CLUSTER && shared.starting === undefined) {
    await Cluster.attach(process.env.EEVEE_TEST_CLUSTER); // fail early if it is not there
    return async () => {};
  }
  shared.refs += 1;
  shared.starting ??= Cluster.start({ name: `run-${process.pid}` }).then((cluster) => {
    console.log(`testenv: cluster ${cluster.name} ready in ${cluster.startedMs} ms (${cluster.server})`);
    return cluster;
  });
  const cluster = await shared.starting;
  process.env.EEVEE_TEST_CLUSTER = cluster.name;
  process.env.EEVEE_TESTENV_STATE = stateRoot();
  return async () => {
    shared.refs -= 1;
    if (shared.refs === 0) await cluster.stop();
  };
}
