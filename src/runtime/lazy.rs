//! The globals (and `VoxEngine` members) that the lazy prelude files define, made as native
//! accessors when a context is built. Reading or assigning one loads its file first
//! (`vox.load`), then reads or replaces the value the file stored with `vox.define` (in
//! `vox.lazyValues`) or in `vox.members`. Native rather than prelude code: a session's start
//! then neither parses these lists nor runs a JS loop over them (docs/telephony.md keeps the call
//! surface out of the start path). They stay accessors for good: in Boa 0.22 a getter that
//! changes the global object's shape leaves a stale inline cache (see `prelude`).

use boa_engine::object::FunctionObjectBuilder;
use boa_engine::property::PropertyDescriptor;
use boa_engine::{js_string, Context, JsObject, JsResult, JsString, JsValue, NativeFunction};

/// Lazy prelude file → the globals it defines.
pub(crate) const GLOBALS: &[(&str, &[&str])] = &[
    ("15_console.js", &["console"]),
    (
        "20_timers.js",
        &[
            "setTimeout",
            "setInterval",
            "clearTimeout",
            "clearInterval",
            "queueMicrotask",
        ],
    ),
    ("30_net.js", &["Net"]),
    (
        "40_utils.js",
        &[
            "base64_encode",
            "base64_decode",
            "str2bytes",
            "bytes2str",
            "bytes2hex",
            "hex2bytes",
            "levenshtein_distance",
            "getLocalTime",
        ],
    ),
    ("45_modules.js", &["Modules", "require"]),
    ("50_calls.js", &["Call"]),
    (
        "57_constants.js",
        &[
            "CallEvents",
            "PlayerEvents",
            "RecorderEvents",
            "ASREvents",
            "ConferenceEvents",
            "SequencePlayerEvents",
            "ASRLanguage",
            "ASRDictionary",
            "ASRModel",
            "ASRProfileList",
            "ASRModelList",
            "VoiceList",
            "Language",
            "DTMFType",
            "CallAudioQuality",
            "RecorderDirection",
            "RecorderProfile",
            "RecordExpireTime",
            "ConferenceDirection",
            "ConferenceMode",
            "TTSEffectsProfile",
            "TerminationStatus",
            "TranscriptionProvider",
            "URLPlayerRequestMethod",
        ],
    ),
];

/// Lazy prelude file → the `VoxEngine` functions it provides (the call surface).
pub(crate) const VOXENGINE: &[(&str, &[&str])] = &[
    (
        "50_calls.js",
        &[
            "callPSTN",
            "callUser",
            "callUserDirect",
            "callSIP",
            "callConference",
            "sendMediaBetween",
            "stopMediaBetween",
        ],
    ),
    (
        "52_media.js",
        &[
            "createTTSPlayer",
            "createURLPlayer",
            "createToneScriptPlayer",
            "createSequencePlayer",
            "createRecorder",
            "createASR",
            "createConference",
            "destroyConference",
            "easyProcess",
            "forwardCallToPSTN",
            "forwardCallToUser",
            "forwardCallToUserDirect",
            "forwardCallToSIP",
            "playSoundAndHangup",
            // Not emulated: they throw, naming themselves (52_media.js NOT_EMULATED).
            "allowWebSocketConnections",
            "callWhatsappUser",
            "createStreamingAgent",
            "createWebSocket",
            "disableStatisticsForIncomingWebsockets",
            "disableTraceForIncomingWebsockets",
            "enableStatisticsForIncomingWebsockets",
            "enableTraceForIncomingWebsockets",
            "enqueueACDRequest",
            "enqueueTask",
        ],
    ),
];

/// Before the eager prelude: `vox.lazyValues` (every lazy global, unset) and `vox.members`,
/// so that `vox.define` knows which names are lazy.
pub(crate) fn prepare(vox: &JsObject, ctx: &mut Context) -> JsResult<()> {
    let values = JsObject::with_null_proto();
    for (_, names) in GLOBALS {
        for name in *names {
            values.set(JsString::from(*name), JsValue::undefined(), false, ctx)?;
        }
    }
    vox.set(js_string!("lazyValues"), values, false, ctx)?;
    vox.set(
        js_string!("members"),
        JsObject::with_null_proto(),
        false,
        ctx,
    )?;
    Ok(())
}

/// After the eager prelude: the accessors on the global object and on `vox.VoxEngine`.
pub(crate) fn install(vox: &JsObject, ctx: &mut Context) -> JsResult<()> {
    let global = ctx.global_object();
    let values = js_string!("lazyValues");
    for (file, names) in GLOBALS {
        let file = JsString::from(*file);
        for name in *names {
            define(&global, (vox, &file, &values), name, false, ctx)?;
        }
    }
    let voxengine = vox.get(js_string!("VoxEngine"), ctx)?;
    if let Some(voxengine) = voxengine.as_object() {
        let members = js_string!("members");
        for (file, names) in VOXENGINE {
            let file = JsString::from(*file);
            for name in *names {
                define(&voxengine, (vox, &file, &members), name, true, ctx)?;
            }
        }
    }
    Ok(())
}

/// What an accessor needs: `vox`, its file, which table of `vox` holds the value, its name.
type Captures = (JsObject, JsString, JsString, JsString);

/// Defines `name` on `target` as an accessor whose getter and setter are one native
/// function ([`access`]): a session has about seventy of these, and in Boa 0.22 each
/// function object costs about half a KiB of every session's memory.
fn define(
    target: &JsObject,
    (vox, file, table): (&JsObject, &JsString, &JsString),
    name: &str,
    enumerable: bool,
    ctx: &mut Context,
) -> JsResult<()> {
    let name = JsString::from(name);
    let captures: Captures = (vox.clone(), file.clone(), table.clone(), name.clone());
    let access = NativeFunction::from_copy_closure_with_captures(access, captures);
    let realm = ctx.realm().clone();
    let access = FunctionObjectBuilder::new(&realm, access).build();
    let desc = PropertyDescriptor::builder()
        .get(access.clone())
        .set(access)
        .enumerable(enumerable)
        .configurable(true);
    target.define_property_or_throw(name, desc, ctx)?;
    Ok(())
}

/// Loads the file (once: `vox.load` keeps track) and returns the table holding the value.
fn table_of(c: &Captures, ctx: &mut Context) -> JsResult<JsObject> {
    let (vox, file, table, _) = c;
    let load = vox.get(js_string!("load"), ctx)?;
    if let Some(load) = load.as_callable() {
        load.call(&vox.clone().into(), &[file.clone().into()], ctx)?;
    }
    let t = vox.get(table.clone(), ctx)?;
    t.as_object()
        .ok_or_else(|| super::ops::type_error("the prelude lost its lazy values"))
}

/// The getter (called with no argument) and the setter (called with the new value).
fn access(_: &JsValue, args: &[JsValue], c: &Captures, ctx: &mut Context) -> JsResult<JsValue> {
    let t = table_of(c, ctx)?;
    match args.first() {
        None => t.get(c.3.clone(), ctx),
        Some(value) => {
            t.set(c.3.clone(), value.clone(), false, ctx)?;
            Ok(JsValue::undefined())
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    /// The `VoxEngine` functions the eager prelude defines itself (`10_events.js`).
    const EAGER: &[&str] = &[
        "addEventListener",
        "removeEventListener",
        "customData",
        "terminate",
    ];

    #[test]
    fn every_voxengine_function_of_the_typings_exists() {
        let data: serde_json::Value =
            serde_json::from_str(include_str!("../../runtime-js/55_tables.data.json")).unwrap();
        let methods = data["METHODS"].as_array().unwrap();
        let at = methods.iter().position(|v| v == "VoxEngine").unwrap();
        let names: Vec<&str> = methods[at + 1]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|line| line.as_str().unwrap().split(' '))
            .collect();
        assert!(names.len() > 30, "{names:?}");
        let provided: Vec<&str> = super::VOXENGINE
            .iter()
            .flat_map(|(_, names)| names.iter().copied())
            .chain(EAGER.iter().copied())
            .collect();
        for name in names {
            assert!(
                provided.contains(&name),
                "VoxEngine.{name} is in the typings but nothing provides it"
            );
        }
    }
}
