export const id = 267;
export const ids = [267];
export const modules = {

/***/ 3267:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SdkMetricsGateway: () => (/* binding */ SdkMetricsGateway),
/* harmony export */   metricPeriodSeconds: () => (/* binding */ metricPeriodSeconds),
/* harmony export */   versionDimensions: () => (/* binding */ versionDimensions)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4085);
/* harmony import */ var _model_lambda_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8738);
/**
 * CloudWatch through the AWS SDK: the gates of a progressive shift.
 *
 * - `alarmStates`: DescribeAlarms by name (at most 100 names a call, all pages), metric and
 *   composite alarms both (without `AlarmTypes` CloudWatch answers metric alarms only). A name
 *   with no alarm is simply absent from the answer, and so from the result.
 * - `versionMetrics`: the new version's own `Errors` and `Invocations`. Lambda publishes, for a
 *   function invoked through an alias, metrics with the dimensions `FunctionName`, `Resource`
 *   (`<function>:<alias>`) and `ExecutedVersion`; one GetMetricData call (all pages) asks for the
 *   Sum of both over the window, per minute, and the datapoints are added up. CloudWatch matches
 *   the dimension set exactly, so the per-function and per-alias aggregates are not counted.
 *
 * Retries are the SDK's own. Permissions: cloudwatch:DescribeAlarms, cloudwatch:GetMetricData.
 */


/** DescribeAlarms takes at most 100 names (and answers at most 100 alarms a page). */
const ALARM_NAMES_PER_CALL = 100;
const STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
/**
 * The period of the metric queries, in seconds. CloudWatch keeps 1-minute datapoints for 15 days,
 * 5-minute ones for 63 days and hourly ones for 455 days: a window that starts further back than
 * that cannot be read at the finer period (the answer would be empty, i.e. zeros).
 */
function metricPeriodSeconds(since, now = new Date()) {
    const ageDays = (now.getTime() - since.getTime()) / 86_400_000;
    if (ageDays > 63)
        return 3600;
    if (ageDays > 15)
        return 300;
    return 60;
}
/** Windows CloudWatch refuses (empty or reversed, or under a second): nothing can have happened in them. */
function isEmptyWindow(since, until) {
    return until.getTime() - since.getTime() < 1000;
}
/**
 * The dimensions of one version's metrics through an alias, as Lambda publishes them. CloudWatch
 * matches the dimension set exactly, so the per-function and per-alias aggregates are not counted.
 */
function versionDimensions(functionName, alias, version) {
    const name = (0,_model_lambda_js__WEBPACK_IMPORTED_MODULE_0__/* .functionBaseName */ .J$)(functionName);
    return [
        { Name: 'FunctionName', Value: name },
        { Name: 'Resource', Value: `${name}:${alias}` },
        { Name: 'ExecutedVersion', Value: version },
    ];
}
/** One MetricStat query of a GetMetricData call (`stat`: Sum, or an extended statistic such as p95). */
function metricQuery(id, namespace, metricName, dimensions, period, stat) {
    return {
        Id: id,
        MetricStat: { Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions }, Period: period, Stat: stat },
        ReturnData: true,
    };
}
function sum(values) {
    return (values ?? []).reduce((total, value) => total + value, 0);
}
/** The largest value; undefined when there is none. */
function max(values) {
    return values === undefined || values.length === 0 ? undefined : Math.max(...values);
}
function alarmState(value) {
    // An alarm always has a state; a value this version does not know is not taken for OK.
    return STATES.includes(value) ? value : 'INSUFFICIENT_DATA';
}
class SdkMetricsGateway {
    client;
    constructor(client) {
        this.client = client;
    }
    async alarmStates(names) {
        const unique = [...new Set(names)];
        const found = new Map();
        for (let i = 0; i < unique.length; i += ALARM_NAMES_PER_CALL) {
            const chunk = unique.slice(i, i + ALARM_NAMES_PER_CALL);
            const pages = (0,_aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__.paginateDescribeAlarms)({ client: this.client }, { AlarmNames: chunk, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
            for await (const page of pages) {
                for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
                    // Only the names asked for (an emulator may be less strict than CloudWatch).
                    if (alarm.AlarmName === undefined || !chunk.includes(alarm.AlarmName))
                        continue;
                    found.set(alarm.AlarmName, {
                        name: alarm.AlarmName,
                        state: alarmState(alarm.StateValue),
                        ...(alarm.StateReason !== undefined && { reason: alarm.StateReason }),
                    });
                }
            }
        }
        // In the order asked for.
        return unique.flatMap((name) => {
            const state = found.get(name);
            return state === undefined ? [] : [state];
        });
    }
    async versionMetrics(functionName, alias, version, since, until) {
        // CloudWatch refuses an empty or reversed window; nothing can have happened in it.
        if (isEmptyWindow(since, until))
            return { errors: 0, invocations: 0 };
        const dimensions = versionDimensions(functionName, alias, version);
        const period = metricPeriodSeconds(since);
        const values = await this.metricValues([
            metricQuery('errors', 'AWS/Lambda', 'Errors', dimensions, period, 'Sum'),
            metricQuery('invocations', 'AWS/Lambda', 'Invocations', dimensions, period, 'Sum'),
        ], since, until);
        return { errors: sum(values.get('errors')), invocations: sum(values.get('invocations')) };
    }
    async functionReport(functionName, alias, version, since, until) {
        if (isEmptyWindow(since, until))
            return { invocations: 0, errors: 0, throttles: 0 };
        const read = await this.report('AWS/Lambda', versionDimensions(functionName, alias, version), since, until, {
            sums: { invocations: 'Invocations', errors: 'Errors', throttles: 'Throttles' },
            p95: { id: 'duration_p95', name: 'Duration' },
        });
        return {
            invocations: read.sum('invocations'),
            errors: read.sum('errors'),
            throttles: read.sum('throttles'),
            ...(read.p95 !== undefined && { durationP95Ms: read.p95 }),
        };
    }
    async apiReport(apiId, stage, since, until) {
        if (isEmptyWindow(since, until))
            return { errors4xx: 0, errors5xx: 0 };
        const dimensions = [
            { Name: 'ApiId', Value: apiId },
            { Name: 'Stage', Value: stage },
        ];
        const read = await this.report('AWS/ApiGateway', dimensions, since, until, {
            sums: { errors_4xx: '4XXError', errors_5xx: '5XXError' },
            p95: { id: 'latency_p95', name: 'Latency' },
        });
        return {
            errors4xx: read.sum('errors_4xx'),
            errors5xx: read.sum('errors_5xx'),
            ...(read.p95 !== undefined && { latencyP95Ms: read.p95 }),
        };
    }
    /** Sums of some metrics (query Id → metric name) and the p95 of one, over the window, in one GetMetricData. */
    async report(namespace, dimensions, since, until, wanted) {
        const period = metricPeriodSeconds(since);
        const values = await this.metricValues([
            ...Object.entries(wanted.sums).map(([id, name]) => metricQuery(id, namespace, name, dimensions, period, 'Sum')),
            metricQuery(wanted.p95.id, namespace, wanted.p95.name, dimensions, period, 'p95'),
        ], since, until);
        const p95 = max(values.get(wanted.p95.id));
        return { sum: (id) => sum(values.get(id)), ...(p95 !== undefined && { p95 }) };
    }
    /** Every value each query returned, by query Id, over all pages of one GetMetricData. */
    async metricValues(queries, since, until) {
        const values = new Map(queries.flatMap((query) => (query.Id === undefined ? [] : [[query.Id, []]])));
        // End on a whole period after `since`, so the period that holds `until` is read whole
        // (moto, and CloudWatch for some periods, leave out a period that EndTime cuts short).
        const period = (queries[0]?.MetricStat?.Period ?? 60) * 1000;
        const end = new Date(since.getTime() + Math.ceil((until.getTime() - since.getTime()) / period) * period);
        const pages = (0,_aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__.paginateGetMetricData)({ client: this.client }, { MetricDataQueries: queries, StartTime: since, EndTime: end });
        for await (const page of pages) {
            for (const result of page.MetricDataResults ?? []) {
                const into = result.Id === undefined ? undefined : values.get(result.Id);
                if (into === undefined)
                    continue;
                for (const value of result.Values ?? [])
                    if (Number.isFinite(value))
                        into.push(value);
            }
        }
        return values;
    }
}


/***/ })

};
