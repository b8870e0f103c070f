#!/usr/bin/env node
// A headless "Element-grade" Matrix client for acceptance tests: matrix-js-sdk with Rust crypto,
// its own device cross-signed, and device isolation "only signed devices" (MSC4153), so it sees
// the bot exactly as a current Element does.
//
// Usage: node client.mjs '<json spec>'   or   echo '<json spec>' | node client.mjs
//
// Spec: {
//   homeserver, userId, password,          // logs in with the password (a new device each run)
//   roomId,                                // joined if invited (now or later during the run)
//   actions: [
//     {send: "text", msgtype?: "m.text", formattedBody?: "<b>html</b>"},
//     {sendEvent: {type: "org.matrix.msc3381.poll.response", content: {...}}},
//     {expect: {sender?, bodyContains?, bodyEquals?, msgtype?, eventType?,
//               decryptionFailure?: false, failureReason?, timeoutMs?: 30000}},
//     {waitForJoin: "@user:server", timeoutMs?: 30000},
//     {sleepMs: 500},
//   ],
//   timeoutMs?: 90000,                     // global: the process never outlives it
//   joinTimeoutMs?: 30000,                 // how long to wait for an invite / the join
//   isolation?: "only_signed" | "all",     // default "only_signed", as Element
//   crossSign?: true,                      // bootstrap cross-signing for this device
//   utdGraceMs?: 3000,                     // wait this long for a late key before reporting a UTD
//   lingerMs?: 0                           // keep listening this long after the last action
// }
//
// Stdout: JSON lines only. {"type":"ready",...} once joined; {"type":"sent",...} per send;
// {"type":"message",...} per event received from someone else (decrypted, or a decryption
// failure after utdGraceMs; a late decryption prints the event again); {"type":"expect",...} per
// expect; then {"type":"summary","ok":...}. Exit 0 iff every action succeeded. The SDK's own
// logs go to stderr.

import process from "node:process";

// Everything the SDK prints goes to stderr, so stdout stays one JSON object per line. The SDK is
// chatty (its loggers and the Rust crypto log at DEBUG, through the console): keep stderr to
// what helps a failing test, ELEMENT_CLIENT_LOG_LEVEL=debug for more.
const LEVELS = ["trace", "debug", "info", "warn", "error"];
const logLevel = Math.max(0, LEVELS.indexOf(process.env.ELEMENT_CLIENT_LOG_LEVEL ?? "warn"));
const CONSOLE_RANKS = { trace: 0, debug: 1, log: 1, info: 2, warn: 3, error: 4 };
for (const [name, rank] of Object.entries(CONSOLE_RANKS)) {
    console[name] =
        rank < logLevel
            ? () => {}
            : (...args) => process.stderr.write(`${name} ${args.map(String).join(" ")}\n`);
}

const sdk = await import("matrix-js-sdk");
const cryptoApi = await import("matrix-js-sdk/lib/crypto-api/index.js");
const wasm = await import("@matrix-org/matrix-sdk-crypto-wasm");

const started = Date.now();
const emit = (record) => process.stdout.write(JSON.stringify(record) + "\n");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const summary = { type: "summary", ok: false, actions: 0, errors: [] };
let client = null;
let finished = false;

async function finish(ok, error) {
    if (finished) return;
    finished = true;
    if (error) summary.errors.push(String(error && error.stack ? error.stack : error));
    summary.ok = ok && summary.errors.length === 0;
    summary.elapsedMs = Date.now() - started;
    emit(summary);
    try {
        client?.stopClient();
    } catch {
        // Stopping is best effort: we exit right after.
    }
    // The WASM crypto and the sync loop keep the event loop alive: leave explicitly, once the
    // stdout pipe has been flushed.
    process.stdout.write("", () => process.exit(summary.ok ? 0 : 1));
}

function readSpec() {
    if (process.argv[2] && process.argv[2] !== "-") return Promise.resolve(process.argv[2]);
    return new Promise((resolve, reject) => {
        let text = "";
        process.stdin.setEncoding("utf8");
        process.stdin.on("data", (chunk) => (text += chunk));
        process.stdin.on("end", () => resolve(text));
        process.stdin.on("error", reject);
    });
}

const spec = JSON.parse(await readSpec());
const globalTimeout = setTimeout(
    () => finish(false, `global timeout after ${spec.timeoutMs ?? 90000} ms`),
    spec.timeoutMs ?? 90000,
);
process.on("unhandledRejection", (reason) => finish(false, `unhandled rejection: ${reason}`));
process.on("uncaughtException", (error) => finish(false, error));

// --- received events ------------------------------------------------------------------------

const received = []; // the latest record per event id, in arrival order
const recordIndex = new Map();
const waiters = new Set(); // callbacks re-checked whenever a record changes

function publish(record) {
    const index = recordIndex.get(record.eventId);
    if (index === undefined) {
        recordIndex.set(record.eventId, received.length);
        received.push(record);
    } else {
        received[index] = record;
    }
    emit(record);
    for (const check of [...waiters]) check();
}

async function describe(event) {
    const failed = event.isDecryptionFailure();
    const content = failed ? {} : event.getContent();
    const record = {
        type: "message",
        eventId: event.getId(),
        eventType: event.getType(),
        sender: event.getSender(),
        ts: event.getTs(),
        encrypted: event.isEncrypted(),
        decryptionFailure: failed,
        failureReason: failed ? (event.decryptionFailureReason ?? "UNKNOWN_ERROR") : null,
        body: content.body ?? null,
        msgtype: content.msgtype ?? null,
        content,
        senderDeviceId: event.getWireContent().device_id ?? null,
        senderDeviceCrossSigned: null,
        shieldColour: null,
        shieldReason: null,
    };
    const crypto = client.getCrypto();
    if (!failed && event.isEncrypted()) {
        const info = await crypto.getEncryptionInfoForEvent(event);
        if (info) {
            record.shieldColour = cryptoApi.EventShieldColour[info.shieldColour];
            record.shieldReason =
                info.shieldReason === null ? null : cryptoApi.EventShieldReason[info.shieldReason];
        }
    }
    if (record.senderDeviceId) {
        const status = await crypto.getDeviceVerificationStatus(
            record.sender,
            record.senderDeviceId,
        );
        record.senderDeviceCrossSigned = status ? status.signedByOwner : null;
    }
    return record;
}

const pendingUtd = new Map(); // eventId -> timer

async function onTimelineEvent(event, room) {
    if (room?.roomId !== spec.roomId || event.isState()) return;
    if (event.getSender() === client.getUserId()) return;
    await client.decryptEventIfNeeded(event);
    if (event.isDecryptionFailure()) {
        // A key may still arrive (to-device messages can lag the timeline): report later.
        if (!pendingUtd.has(event.getId())) {
            pendingUtd.set(
                event.getId(),
                setTimeout(async () => {
                    if (event.isDecryptionFailure()) publish(await describe(event));
                }, spec.utdGraceMs ?? 3000),
            );
        }
        return;
    }
    publish(await describe(event));
}

function onDecrypted(event) {
    if (event.getRoomId() !== spec.roomId || event.isDecryptionFailure()) return;
    if (event.getSender() === client.getUserId()) return;
    const timer = pendingUtd.get(event.getId());
    if (timer !== undefined) clearTimeout(timer);
    pendingUtd.delete(event.getId());
    // Only late keys need a line here; events decrypted at once are reported by the timeline.
    const reported = received[recordIndex.get(event.getId())];
    if (timer !== undefined || reported?.decryptionFailure) describe(event).then(publish);
}

// --- actions ---------------------------------------------------------------------------------

function waitUntil(predicate, timeoutMs, what) {
    return new Promise((resolve, reject) => {
        const check = () => {
            const value = predicate();
            if (value) {
                waiters.delete(check);
                clearTimeout(timer);
                resolve(value);
            }
        };
        const timer = setTimeout(() => {
            waiters.delete(check);
            reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        waiters.add(check);
        check();
    });
}

const consumed = new Set();

function matches(record, want) {
    if (consumed.has(record.eventId)) return false;
    if (record.decryptionFailure !== (want.decryptionFailure ?? false)) return false;
    if (want.failureReason && record.failureReason !== want.failureReason) return false;
    if (want.sender && record.sender !== want.sender) return false;
    if (want.eventType && record.eventType !== want.eventType) return false;
    if (want.msgtype && record.msgtype !== want.msgtype) return false;
    if (want.bodyEquals !== undefined && record.body !== want.bodyEquals) return false;
    if (want.bodyContains !== undefined && !(record.body ?? "").includes(want.bodyContains)) {
        return false;
    }
    return true;
}

function membership(userId) {
    return client.getRoom(spec.roomId)?.getMember(userId)?.membership ?? null;
}

async function perform(action, index) {
    if ("send" in action) {
        const content = { msgtype: action.msgtype ?? "m.text", body: action.send };
        if (action.formattedBody) {
            content.format = "org.matrix.custom.html";
            content.formatted_body = action.formattedBody;
        }
        const { event_id: eventId } = await client.sendMessage(spec.roomId, content);
        emit({ type: "sent", index, eventId, body: action.send });
    } else if ("sendEvent" in action) {
        const { type, content } = action.sendEvent;
        const { event_id: eventId } = await client.sendEvent(spec.roomId, type, content);
        emit({ type: "sent", index, eventId, eventType: type });
    } else if ("expect" in action) {
        const want = action.expect;
        try {
            const record = await waitUntil(
                () => received.find((candidate) => matches(candidate, want)),
                want.timeoutMs ?? 30000,
                JSON.stringify(want),
            );
            consumed.add(record.eventId);
            emit({ type: "expect", index, matched: true, eventId: record.eventId });
        } catch (error) {
            emit({ type: "expect", index, matched: false, want });
            throw error;
        }
    } else if ("waitForJoin" in action) {
        // Room state changes do not go through publish(): poll.
        await pollUntil(
            () => membership(action.waitForJoin) === "join",
            action.timeoutMs ?? 30000,
            `${action.waitForJoin} to join`,
        );
    } else if ("sleepMs" in action) {
        await sleep(action.sleepMs);
    } else {
        throw new Error(`unknown action ${JSON.stringify(action)}`);
    }
}

// --- set-up ----------------------------------------------------------------------------------

async function loggedInClient() {
    const anonymous = sdk.createClient({ baseUrl: spec.homeserver });
    const login = await anonymous.login("m.login.password", {
        identifier: { type: "m.id.user", user: spec.userId },
        password: spec.password,
        initial_device_display_name: "element-grade test client",
    });
    return sdk.createClient({
        baseUrl: spec.homeserver,
        userId: login.user_id,
        deviceId: login.device_id,
        accessToken: login.access_token,
    });
}

// Password user-interactive auth, as Element asks the user for when uploading signing keys.
async function authUploadDeviceSigningKeys(makeRequest) {
    const auth = {
        type: "m.login.password",
        identifier: { type: "m.id.user", user: spec.userId },
        password: spec.password,
    };
    try {
        await makeRequest(null);
    } catch (error) {
        const session = error?.data?.session;
        if (error?.httpStatus !== 401 || !session) throw error;
        await makeRequest({ ...auth, session });
    }
}

async function pollUntil(predicate, timeoutMs, what) {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
        await sleep(100);
    }
}

async function joinWhenInvited() {
    const me = client.getUserId();
    if (membership(me) !== "join") {
        try {
            await client.joinRoom(spec.roomId);
        } catch (error) {
            // Not invited yet (or not allowed): the membership handler joins when invited.
            console.warn(`join of ${spec.roomId} failed for now: ${error}`);
        }
    }
    const joinTimeoutMs = spec.joinTimeoutMs ?? 30000;
    await pollUntil(() => membership(me) === "join", joinTimeoutMs, `join ${spec.roomId}`);
}

// The device's signature is known to the machine only once it has queried our own keys again:
// wait for it, so that the first send does not fail with "your device is not verified".
async function ownDeviceCrossSigned(crypto) {
    const me = client.getUserId();
    const deadline = Date.now() + 15000;
    for (;;) {
        const status = await crypto.getDeviceVerificationStatus(me, client.getDeviceId());
        if (status?.crossSigningVerified) return;
        if (Date.now() > deadline) throw new Error("own device not cross-signed after bootstrap");
        await crypto.getUserDeviceInfo([me], true);
        await sleep(200);
    }
}

async function main() {
    client = await loggedInClient();
    await client.initRustCrypto({ useIndexedDB: false });
    // initRustCrypto turns Rust tracing on at DEBUG; a second subscriber replaces it.
    const { Trace, Debug, Info, Warn, Error: Err } = wasm.LoggerLevel;
    new wasm.Tracing([Trace, Debug, Info, Warn, Err][logLevel]).turnOn();
    const crypto = client.getCrypto();
    if ((spec.isolation ?? "only_signed") === "only_signed") {
        crypto.setDeviceIsolationMode(new cryptoApi.OnlySignedDevicesIsolationMode());
    }

    if (spec.crossSign ?? true) {
        // Before the sync loop starts: a /keys/query racing a reset of the identity (a second run
        // for the same user) returns the old keys, and the machine then drops the new private
        // keys ("Removed some or all of our private cross signing keys"): the device would stay
        // unverified and every send fail with "your device is not verified".
        await crypto.bootstrapCrossSigning({ authUploadDeviceSigningKeys });
    }

    client.on(sdk.RoomEvent.Timeline, (event, room) =>
        onTimelineEvent(event, room).catch((error) => summary.errors.push(String(error))),
    );
    client.on(sdk.MatrixEventEvent.Decrypted, onDecrypted);
    const prepared = new Promise((resolve, reject) => {
        client.on(sdk.ClientEvent.Sync, (state) => {
            if (state === "PREPARED" || state === "SYNCING") resolve();
            if (state === "ERROR") reject(new Error("initial sync failed"));
        });
    });
    await client.startClient({ initialSyncLimit: 20, lazyLoadMembers: false });
    await prepared;
    if (spec.crossSign ?? true) await ownDeviceCrossSigned(crypto);

    // An invite that arrives during the run is accepted at once.
    client.on(sdk.RoomMemberEvent.Membership, (event, member) => {
        const mine = member.roomId === spec.roomId && member.userId === client.getUserId();
        if (mine && member.membership === "invite") {
            client.joinRoom(spec.roomId).catch((error) => console.warn(`join failed: ${error}`));
        }
    });
    await joinWhenInvited();
    emit({
        type: "ready",
        userId: client.getUserId(),
        deviceId: client.getDeviceId(),
        crossSigningReady: await crypto.isCrossSigningReady(),
        elapsedMs: Date.now() - started,
    });

    const actions = spec.actions ?? [];
    for (const [index, action] of actions.entries()) {
        await perform(action, index);
        summary.actions += 1;
    }
    if (spec.lingerMs) await sleep(spec.lingerMs);
    clearTimeout(globalTimeout);
    await finish(true);
}

main().catch((error) => finish(false, error));
