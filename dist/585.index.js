export const id = 585;
export const ids = [585];
export const modules = {

/***/ 3585:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SdkLogGroupGateway: () => (/* binding */ SdkLogGroupGateway),
/* harmony export */   SdkLogReader: () => (/* binding */ SdkLogReader)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudwatch_logs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2684);
/* harmony import */ var _model_lambda_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8738);
/**
 * CloudWatch Logs through the AWS SDK: the retention of a function's log group, and what a
 * function's versions logged.
 *
 * Lambda creates a function's log group the first time the function logs, with no retention
 * (logs kept forever). `ensureRetention` gives it the stage's retention: it reads the group
 * (DescribeLogGroups, all pages, matching the exact name since the call filters by prefix),
 * creates it when missing and writes the retention only when it differs, so a deploy whose
 * retention is already right writes nothing. Retries are the SDK's own.
 *
 * Permissions: logs:DescribeLogGroups, and logs:CreateLogGroup / logs:PutRetentionPolicy when
 * something has to change.
 *
 * `SdkLogReader.recentEvents` reads a version's lines: FilterLogEvents (all pages, until `limit`
 * events are in hand) once per stream-name prefix, from `since`; the events are merged, sorted by
 * timestamp and cut to `limit`. A missing group (ResourceNotFoundException) reads as no events.
 * Permission: logs:FilterLogEvents.
 */


/** FilterLogEvents answers at most 10,000 events a call. */
const FILTER_EVENTS_PER_CALL = 10_000;
function isAlreadyExists(error) {
    return error instanceof Error && error.name === 'ResourceAlreadyExistsException';
}
function isNotFound(error) {
    return error instanceof Error && error.name === 'ResourceNotFoundException';
}
class SdkLogGroupGateway {
    client;
    constructor(client) {
        this.client = client;
    }
    async ensureRetention(logGroup, days) {
        if (!logGroup)
            throw new Error('A log group name is required to set its retention.');
        // Checked before anything is written, so a bad value never leaves a group created without it.
        if (!_model_lambda_js__WEBPACK_IMPORTED_MODULE_0__/* .RETENTION_DAYS */ .zh.includes(days)) {
            throw new Error(`log-retention-days: ${days} is not a retention CloudWatch Logs accepts (one of ${_model_lambda_js__WEBPACK_IMPORTED_MODULE_0__/* .RETENTION_DAYS */ .zh.join(', ')}).`);
        }
        const existing = await this.find(logGroup);
        if (existing === undefined) {
            try {
                await this.client.send(new _aws_sdk_client_cloudwatch_logs__WEBPACK_IMPORTED_MODULE_1__.CreateLogGroupCommand({ logGroupName: logGroup }));
            }
            catch (error) {
                // Created meanwhile (by Lambda, on the function's first log line, or by another run).
                if (!isAlreadyExists(error))
                    throw error;
            }
            await this.putRetention(logGroup, days);
            return 'created';
        }
        if (existing.retentionInDays === days)
            return 'unchanged';
        await this.putRetention(logGroup, days);
        return 'updated';
    }
    /** The group named exactly `logGroup`; DescribeLogGroups matches by prefix, so other groups may come too. */
    async find(logGroup) {
        for await (const page of (0,_aws_sdk_client_cloudwatch_logs__WEBPACK_IMPORTED_MODULE_1__.paginateDescribeLogGroups)({ client: this.client }, { logGroupNamePrefix: logGroup })) {
            const found = page.logGroups?.find((group) => group.logGroupName === logGroup);
            if (found)
                return found;
        }
        return undefined;
    }
    async putRetention(logGroup, days) {
        await this.client.send(new _aws_sdk_client_cloudwatch_logs__WEBPACK_IMPORTED_MODULE_1__.PutRetentionPolicyCommand({ logGroupName: logGroup, retentionInDays: days }));
    }
}
class SdkLogReader {
    client;
    constructor(client) {
        this.client = client;
    }
    async recentEvents(logGroup, streamPrefixes, since, limit) {
        const prefixes = [...new Set(streamPrefixes)];
        if (!logGroup || prefixes.length === 0 || !(limit > 0))
            return [];
        const seen = new Set();
        const events = [];
        for (const prefix of prefixes) {
            for (const event of await this.eventsOf(logGroup, prefix, since, limit)) {
                // Prefixes may overlap (`2026/` and `2026/11/22/[8]`): an event is kept once.
                const key = `${event.logStream}\0${event.id}`;
                if (event.id !== undefined && seen.has(key))
                    continue;
                seen.add(key);
                events.push({ timestamp: event.timestamp, message: event.message, logStream: event.logStream });
            }
        }
        // Stable: events of one timestamp keep the order CloudWatch gave them.
        return events.sort((a, b) => a.timestamp - b.timestamp).slice(0, limit);
    }
    /** The first `limit` events (oldest first) of the streams named `prefix…`. */
    async eventsOf(logGroup, prefix, since, limit) {
        const found = [];
        const pages = (0,_aws_sdk_client_cloudwatch_logs__WEBPACK_IMPORTED_MODULE_1__.paginateFilterLogEvents)({ client: this.client, pageSize: Math.min(limit, FILTER_EVENTS_PER_CALL) }, {
            logGroupName: logGroup,
            logStreamNamePrefix: prefix,
            startTime: since.getTime(),
            // Ignored by CloudWatch Logs since 2019 (it always interleaves the streams); an emulator
            // (moto) otherwise answers stream after stream, and the first page would not be the oldest.
            interleaved: true,
        });
        try {
            for await (const page of pages) {
                for (const event of page.events ?? []) {
                    const logStream = event.logStreamName ?? '';
                    // Only the streams asked for (moto ignores logStreamNamePrefix and answers the whole group).
                    if (!logStream.startsWith(prefix) || event.timestamp === undefined)
                        continue;
                    if (event.timestamp < since.getTime())
                        continue;
                    found.push({
                        timestamp: event.timestamp,
                        message: event.message ?? '',
                        logStream,
                        ...(event.eventId !== undefined && { id: event.eventId }),
                    });
                }
                if (found.length >= limit)
                    break;
            }
        }
        catch (error) {
            // No such group (or, for some emulators, no such stream): nothing was logged yet.
            if (isNotFound(error))
                return [];
            throw error;
        }
        return found;
    }
}


/***/ })

};
