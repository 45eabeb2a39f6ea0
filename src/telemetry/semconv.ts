/**
 * The OpenTelemetry semantic-convention names warroom's traces use (semconv 1.38, CI/CD and
 * deployment: "Development" status). The JS package keeps these in its `incubating` entry,
 * whose README asks users to copy unstable names rather than import them (they may change
 * in a minor release) — and importing that entry would load every experimental constant at
 * startup. test/unit/telemetry-semconv.test.ts checks each copy against the installed package.
 */
export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_SERVICE_VERSION = 'service.version';
export const ATTR_ERROR_TYPE = 'error.type';

export const ATTR_CICD_PIPELINE_NAME = 'cicd.pipeline.name';
export const ATTR_CICD_PIPELINE_RUN_ID = 'cicd.pipeline.run.id';
export const ATTR_CICD_PIPELINE_ACTION_NAME = 'cicd.pipeline.action.name';
export const ATTR_CICD_PIPELINE_RESULT = 'cicd.pipeline.result';
export const ATTR_CICD_PIPELINE_TASK_NAME = 'cicd.pipeline.task.name';
export const ATTR_CICD_PIPELINE_TASK_RUN_ID = 'cicd.pipeline.task.run.id';
export const ATTR_CICD_PIPELINE_TASK_RUN_RESULT = 'cicd.pipeline.task.run.result';
export const ATTR_CICD_PIPELINE_TASK_TYPE = 'cicd.pipeline.task.type';

export const ATTR_DEPLOYMENT_NAME = 'deployment.name';
export const ATTR_DEPLOYMENT_ID = 'deployment.id';
export const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';
export const ATTR_DEPLOYMENT_STATUS = 'deployment.status';

/** cicd.pipeline.result and cicd.pipeline.task.run.result share these values. */
export type PipelineResult = 'success' | 'failure' | 'error' | 'timeout' | 'cancellation' | 'skip';
export type DeploymentStatus = 'succeeded' | 'failed';
export const CICD_PIPELINE_ACTION_NAME_VALUE_RUN = 'RUN';
export const CICD_PIPELINE_TASK_TYPE_VALUE_DEPLOY = 'deploy';
