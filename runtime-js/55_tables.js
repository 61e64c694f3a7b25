// 55_tables.js: the VoxEngine constant tables. Loaded on first use (src/runtime/prelude.rs
// LAZY); sets `vox.tables`, `vox.voiceName` and `vox.defaultVoice`, defines no globals.
// Member names and values are those of the official VoxEngine typings (typings/voxengine.d.ts
// of voximplant/voxengine-ci), in voxrun's own compact encoding; `Language` comes from
// elsewhere (see there).
// Boa builds objects slowly (all of it at once took ~75 ms), so each table, enum and voice
// provider is built the first time it is read: containers are frozen objects of getters.
// Building uses String.prototype.split/indexOf/slice, as loading does.
(function (ops, vox) {
  'use strict';
  const freeze = vox.freeze;
  // Used at load and while building only; captured in case a scenario replaces them later.
  const defineProperty = Object.defineProperty;
  const TypeErr = TypeError;

  // A frozen object whose property `name` (for each of `names`) is build(name), built on its
  // first read. Getters that only fill a closure never change any object's shape.
  function lazy(names, build) {
    const out = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      let value;
      let built = false;
      defineProperty(out, name, {
        get() {
          if (!built) {
            value = build(name);
            built = true;
          }
          return value;
        },
        enumerable: true,
      });
    }
    return freeze(out);
  }

  // `list` holds records of `size` items, the first one a name: the names, and where each
  // record starts.
  function index(list, size) {
    const names = [];
    const at = {};
    for (let i = 0; i < list.length; i += size) {
      names.push(list[i]);
      at[list[i]] = i;
    }
    return { names, at };
  }
  // The items of a spec: one string, or a list of strings (for a long one), of items
  // separated by `sep`.
  function items(spec, sep) {
    if (typeof spec === 'string') return spec === '' ? [] : spec.split(sep);
    const out = [];
    for (let p = 0; p < spec.length; p++) {
      const part = spec[p].split(sep);
      for (let i = 0; i < part.length; i++) out.push(part[i]);
    }
    return out;
  }

  // A voice value: an opaque frozen object, marked with its dotted path
  // ('VoiceList.Google.en_US_Standard_A') under a symbol only this file holds. The mark is set
  // in the literal: a private class field or a non-enumerable property makes Boa 3-5 times
  // slower, and one provider has 1,442 voices. Object.keys, for-in and JSON.stringify do not
  // see it; a copy made with spread or Object.assign names the same voice.
  const PATH = Symbol('voxrun.voice');
  function voice(path) {
    return freeze({ [PATH]: path });
  }
  function voiceName(v) {
    if (typeof v !== 'object' || v === null) return undefined;
    const path = v[PATH];
    return typeof path === 'string' ? path : undefined;
  }

  // Enum members, comma-separated (a list of strings for a long one): 'Member' (value:
  // prefix + 'Member'), 'Member=string value' or 'Member#number'.
  function members(prefix, spec) {
    const out = {};
    const list = items(spec, ',');
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      const eq = item.indexOf('=');
      const hash = item.indexOf('#');
      if (eq >= 0) out[item.slice(0, eq)] = item.slice(eq + 1);
      else if (hash >= 0) out[item.slice(0, hash)] = +item.slice(hash + 1);
      else out[item] = prefix + item;
    }
    return freeze(out);
  }
  // Records of name, prefix, members.
  function enumTable(list) {
    const { names, at } = index(list, 3);
    return lazy(names, (name) => members(list[at[name] + 1], list[at[name] + 2]));
  }

  // Every top-level `declare enum` of the typings, by name.
  const ENUMS = [
    'ACDEvents', 'ACD.', 'OperatorReached,OperatorCallAttempt,OperatorFailed,Error,Waiting,Queued,Offline,QueueFull',
    'AppEvents', 'Application.', [
      'CallAlerting,Terminating,Terminated,Started,HttpRequest,WebSocket=AppEvents.NewWebSocketConnection,NewWebSocketFailed=Application.OnNewWebSocketFailed',
    ],
    'ASRDictionary', '', [
      'ADDRESS_RU=asr-dict-address-ru,ADDRESS_TR=asr-dict-address-tr,ADDRESS=asr-dict-yand-maps,NOTES=asr-dict-yand-notes,SEARCH_QUERIES=asr-dict-yand-queries,MUSIC=asr-dict-yand-music',
      'ECOMMERCE=asr-dict-yand-buying,NUMBERS_RU=asr-dict-yand-numbers,GENERAL_RU=asr-dict-yand-general,DATE_RU=asr-dict-yand-dates,NAMES_RU=asr-dict-yand-names',
      'QUESTIONNAIRE_RU=asr-dict-yand-questionnaire,TBANK=asr-dict-tinkoff-',
    ],
    'ASREvents', 'ASR.', 'ASRError=ASR.Error,Started,CaptureStarted,SpeechCaptured,Result,InterimResult,Stopped',
    'ASRLanguage', '', [
      'ENGLISH_US=en-US,ENGLISH_CA=en-CA,ENGLISH_UK=en-GB,ENGLISH_AU=en-AU,SPANISH_ES=es-ES,SPANISH_MX=es-MX,ITALIAN_IT=it-IT,FRENCH_FR=fr-FR,FRENCH_CA=fr-CA,POLISH_PL=pl-PL,PORTUGUES_PT=pt-PT',
      'CATALAN_ES=ca-ES,CHINESE_TW=cmn-Hant-TW,DANISH_DK=da-DK,GERMAN_DE=de-DE,FINNISH_FI=fi-FI,JAPANESE_JP=ja-JP,KOREAN_KR=ko-KR,DUTCH_NL=nl-NL,NORWEGIAN_NO=nb-NO,PORTUGUESE_BR=pt-BR',
      'RUSSIAN_RU=ru-RU,SWEDISH_SE=sv-SE,CHINESE_CN=cmn-Hans-CN,CHINESE_HK=cmn-Hans-HK,AFRIKAANS_ZA=af-ZA,INDONESIAN_ID=id-ID,MALAYSIA_MY=ms-MY,CZECH_CZ=cs-CZ,ENGLISH_IN=en-IN,ENGLISH_IE=en-IE',
      'ENGLISH_NZ=en-NZ,ENGLISH_PH=en-PH,ENGLISH_ZA=en-ZA,SPANISH_AR=es-AR,SPANISH_BO=es-BO,SPANISH_CL=es-CL,SPANISH_CO=es-CO,SPANISH_CR=es-CR,SPANISH_EC=es-EC,SPANISH_SV=es-SV,SPANISH_US=es-US',
      'SPANISH_GT=es-GT,SPANISH_HN=es-HN,SPANISH_NI=es-NI,SPANISH_PA=es-PA,SPANISH_PY=es-PY,SPANISH_PE=es-PE,SPANISH_PR=es-PR,SPANISH_DO=es-DO,SPANISH_UY=es-UY,SPANISH_VE=es-VE,BASQUE_ES=eu-ES',
      'FILIPINO_PH=fil-PH,GALICIAN_ES=gl-ES,CROATIAN_HR=hr-HR,ZULU_ZA=zu-ZA,ICELANDIC_IS=is-IS,LITHUANIAN_LT=lt-LT,HUNGARIAN_HU=hu-HU,ROMANIAN_RO=ro-RO,SLOVAK_SK=sk-SK,SLOVENIAN_SL=sl-SI',
      'VIETNAMESE_VN=vi-VN,TURKISH_TR=tr-TR,GREEK_GR=el-GR,BULGARIAN_BG=bg-BG,SERBIAN_RS=sr-RS,UKRAINIAN_UA=uk-UA,HEBREW_IL=he-IL,ARABIC_IL=ar-IL,ARABIC_JO=ar-JO,ARABIC_AE=ar-AE,ARABIC_BH=ar-BH',
      'ARABIC_DZ=ar-DZ,ARABIC_SA=ar-SA,ARABIC_IQ=ar-IQ,ARABIC_KW=ar-KW,ARABIC_MA=ar-MA,ARABIC_TN=ar-TN,ARABIC_OM=ar-OM,ARABIC_PS=ar-PS,ARABIC_QA=ar-QA,ARABIC_LB=ar-LB,ARABIC_EG=ar-EG,FARSI_IR=fa-IR',
      'HINDI_IN=hi-IN,THAI_TH=th-TH,CANTONESE_HK=yue-Hant-HK,AMHARIC_ET=am-ET,ARMENIAN_AM=hy-AM,AZERBAIJANI_AZ=az-AZ,BENGALI_BD=bn-BD,BENGALI_IN=bn-IN,ENGLISH_GH=en-GH,ENGLISH_KE=en-KE',
      'ENGLISH_NG=en-NG,ENGLISH_TZ=en-TZ,GEORGIAN_GE=ka-GE,GUJARATI_IN=gu-IN,JAVANESE_ID=jv-ID,KANNADA_IN=kn-IN,KHMER_KH=km-KH,LAO_LA=lo-LA,LATVIAN_LV=lv-LV,MALAYALAM_IN=ml-IN,MARATHI_IN=mr-IN',
      'NEPALI_NP=ne-NP,SINHALA_LK=si-LK,SUNDANESE_ID=su-ID,SWAHILI_TZ=sw-TZ,SWAHILI_KE=sw-KE,TAMIL_IN=ta-IN,TAMIL_SG=ta-SG,TAMIL_LK=ta-LK,TAMIL_MY=ta-MY,TELUGU_IN=te-IN,URDU_PK=ur-PK,URDU_IN=ur-IN',
    ],
    'ASRModel', '', 'COMMAND_AND_SEARCH=command_and_search,PHONE_CALL=phone_call,VIDEO=video,DEFAULT=default',
    'CallAudioQuality', '', 'HD,STANDARD=Standard',
    'CallEvents', 'Call.', [
      'AudioStarted,AudioIdentificationStarted,AudioIdentificationResult,AudioIdentificationStopped,AudioIdentificationError,BlindTransferRequested,Connected,Forwarding,Disconnected,Failed',
      'InfoReceived,MessageReceived,MicStatusChange,OffHold,OnHold,PlaybackFinished,PlaybackReady,PlaybackStarted,PushSent,ReInviteAccepted,ReInviteReceived,ReInviteRejected,RecordStarted',
      'RecordStopped,RecordError,Ringing,StateChanged,Statistics,ToneDetected,ToneReceived,TransferComplete,TransferFailed,VideoTrackCreated=Call.Video.TrackCreated,FirstAudioPacketReceived',
      'FirstVideoPacketReceived,RtpStopped,RtpResumed,BeepDetectionComplete,BeepDetectionError,AudioQualityDetected',
    ],
    'ConferenceDirection', '', 'SEND#0,RECEIVE#1,BOTH#2',
    'ConferenceEvents', 'Conference.', 'ConferenceError=Conference.Error,Started,Stopped,EndpointAdded,EndpointUpdated,EndpointRemoved,EndpointManaged',
    'ConferenceMode', '', 'MIX#0,FORWARD#1',
    'DialogflowLanguage', '', [
      'AF=af,SQ=sq,AM=am,HY=hy,AZ=az,EU=eu,BE=be,BN=bn,BN_BD=bn-bd,BN_IN=bn-in,BS=bs,BG=bg,CA=ca,CEB=ceb,NY=ny,ZH_HK=zh-hk,ZH_CN=zh-cn,ZH_TW=zh-tw,CO=co,HR=hr,CS=cs,DA=da,NL=nl,EN=en,EN_AU=en-au',
      'EN_CA=en-ca,EN_GB=en-gb,EN_IN=en-in,EN_US=en-us,EO=eo,ET=et,FIL=fil,FIL_PH=fil-ph,FI=fi,FR=fr,FR_CA=fr-ca,FR_FR=fr-fr,FY=fy,GL=gl,KA=ka,DE=de,EL=el,GU=gu,HT=ht,HA=ha,HI=hi,HMN=hmn,HU=hu',
      'IS=is,IG=ig,ID=id,GA=ga,IT=it,JA=ja,JV=jv,KN=kn,KK=kk,KM=km,RW=rw,KO=ko,KU=ku,KY=ky,LA=la,LV=lv,LT=lt,LB=lb,MK=mk,MG=mg,MS=ms,MS_MY=ms-my,ML=ml,MT=mt,MI=mi,MR=mr,MR_IN=mr-in,MN=mn,NE=ne',
      'NO=no,OR=or,PL=pl,PT_BR=pt-br,PT=pt,PA=pa,RO=ro,RO_RO=ro-ro,RU=ru,SM=sm,GD=gd,SR=sr,ST=st,SN=sn,SI=si,SI_LK=si-lk,SK=sk,SL=sl,SO=so,ES=es,ES_419=es-419,ES_ES=es-es,SU=su,SW=sw,SV=sv,TG=tg',
      'TA=ta,TA_IN=ta-in,TA_LK=ta-lk,TA_MY=ta-my,TA_SG=ta-sg,TT=tt,TE=te,TE_IN=te-in,TH=th,TR=tr,TK=tk,UK=uk,UZ=uz,VI=vi,VI_VN=vi-vn,CY=cy,XH=xh,YO=yo,ZU=zu',
    ],
    'DialogflowModelVariant', '', 'SPEECH_MODEL_VARIANT_UNSPECIFIED,USE_BEST_AVAILABLE,USE_STANDARD,USE_ENHANCED',
    'DialogflowModel', '', 'VIDEO=video,PHONE_CALL=phone_call,COMMAND_AND_SEARCH=command_and_search,DEFAULT=default',
    'DialogflowSsmlVoiceGender', 'SSML_VOICE_GENDER_', 'UNSPECIFIED,MALE,FEMALE,NEUTRAL',
    'DTMFType', '', 'ALL#0,TELEPHONE_EVENT#1,IN_BAND#2,SIP_INFO#3',
    'Modules', '', [
      'ACD=acd,AI=ai,ApplicationStorage=applicationstorage,ASR=asr,Avatar=avatar,Conference=conference,ElevenLabs=elevenlabs,Gemini=gemini,IVR=ivr,OpenAI=openai,PushService=pushservice',
      'Recorder=recorder,SmartQueue=smartqueue,StreamingAgent=streamingagent,Ultravox=ultravox,Cartesia=cartesia,Yandex=yandex,VoximplantAPI=voximplantapi',
    ],
    'PlayerEvents', 'Player.', 'Created,PlaybackReady,Started,Stopped,PlaybackFinished,Error,PlaybackMarkerReached,PlaybackBuffering=Player.Buffering',
    'RecordExpireTime', '', 'THREEMONTHS=,SIXMONTHS=-6m,ONEYEAR=-1y,TWOYEARS=-2y,THREEYEARS=-3y,FIVEYEARS=-5y',
    'RecorderDirection', '', 'ltr,rtl',
    'RecorderEvents', 'Recorder.', 'RecorderError=Recorder.Error,Started,Stopped',
    'RecorderLabelFont', '', [
      'ROBOTO_SLAB_SEMI_BOLD=RobotoSlab-SemiBold,ROBOTO_SLAB_THIN=RobotoSlab-Thin,ROBOTO_CONDENSED_BOLD=RobotoCondensed-Bold,ROBOTO_CONDENSED_BOLD_ITALIC=RobotoCondensed-BoldItalic',
      'ROBOTO_CONDENSED_ITALIC=RobotoCondensed-Italic,ROBOTO_CONDENSED_LIGHT=RobotoCondensed-Light,ROBOTO_CONDENSED_LIGHT_ITALIC=RobotoCondensed-LightItalic',
      'ROBOTO_CONDENSED_REGULAR=RobotoCondensed-Regular,ROBOTO_FLEX_REGULAR=RobotoFlex-Regular,ROBOTO_MONO_BOLD=RobotoMono-Bold,ROBOTO_MONO_BOLD_ITALIC=RobotoMono-BoldItalic',
      'ROBOTO_MONO_EXTRA_LIGHT=RobotoMono-ExtraLight,ROBOTO_MONO_EXTRA_LIGHT_ITALIC=RobotoMono-ExtraLightItalic,ROBOTO_MONO_ITALIC=RobotoMono-Italic,ROBOTO_MONO_LIGHT=RobotoMono-Light',
      'ROBOTO_MONO_LIGHT_ITALIC=RobotoMono-LightItalic,ROBOTO_MONO_MEDIUM=RobotoMono-Medium,ROBOTO_MONO_MEDIUM_ITALIC=RobotoMono-MediumItalic,ROBOTO_MONO_REGULAR=RobotoMono-Regular',
      'ROBOTO_MONO_SEMI_BOLD=RobotoMono-SemiBold,ROBOTO_MONO_SEMI_BOLD_ITALIC=RobotoMono-SemiBoldItalic,ROBOTO_MONO_THIN=RobotoMono-Thin,ROBOTO_MONO_THIN_ITALIC=RobotoMono-ThinItalic',
      'ROBOTO_SERIF_CONDENSED_BLACK=RobotoSerif_Condensed-Black,ROBOTO_SERIF_CONDENSED_BLACK_ITALIC=RobotoSerif_Condensed-BlackItalic,ROBOTO_SERIF_CONDENSED_BOLD=RobotoSerif_Condensed-Bold',
      'ROBOTO_SERIF_CONDENSED_BOLD_ITALIC=RobotoSerif_Condensed-BoldItalic,ROBOTO_SERIF_CONDENSED_EXTRA_BOLD=RobotoSerif_Condensed-ExtraBold',
      'ROBOTO_SERIF_CONDENSED_EXTRA_BOLD_ITALIC=RobotoSerif_Condensed-ExtraBoldItalic,ROBOTO_SERIF_CONDENSED_EXTRA_LIGHT=RobotoSerif_Condensed-ExtraLight',
      'ROBOTO_SERIF_CONDENSED_EXTRA_LIGHT_ITALIC=RobotoSerif_Condensed-ExtraLightItalic,ROBOTO_SERIF_CONDENSED_ITALIC=RobotoSerif_Condensed-Italic',
      'ROBOTO_SERIF_CONDENSED_LIGHT=RobotoSerif_Condensed-Light,ROBOTO_SERIF_CONDENSED_LIGHT_ITALIC=RobotoSerif_Condensed-LightItalic,ROBOTO_SERIF_CONDENSED_MEDIUM=RobotoSerif_Condensed-Medium',
      'ROBOTO_SERIF_CONDENSED_MEDIUM_ITALIC=RobotoSerif_Condensed-MediumItalic,ROBOTO_SERIF_CONDENSED_REGULAR=RobotoSerif_Condensed-Regular',
      'ROBOTO_SERIF_CONDENSED_SEMI_BOLD=RobotoSerif_Condensed-SemiBold,ROBOTO_SERIF_CONDENSED_SEMI_BOLD_ITALIC=RobotoSerif_Condensed-SemiBoldItalic',
      'ROBOTO_SERIF_CONDENSED_THIN=RobotoSerif_Condensed-Thin,ROBOTO_SERIF_CONDENSED_THIN_ITALIC=RobotoSerif_Condensed-ThinItalic,ROBOTO_SERIF_EXPANDED_BLACK=RobotoSerif_Expanded-Black',
      'ROBOTO_SERIF_EXPANDED_BLACK_ITALIC=RobotoSerif_Expanded-BlackItalic,ROBOTO_SERIF_EXPANDED_BOLD=RobotoSerif_Expanded-Bold,ROBOTO_SERIF_EXPANDED_BOLD_ITALIC=RobotoSerif_Expanded-BoldItalic',
      'ROBOTO_SERIF_EXPANDED_EXTRA_BOLD=RobotoSerif_Expanded-ExtraBold,ROBOTO_SERIF_EXPANDED_EXTRA_BOLD_ITALIC=RobotoSerif_Expanded-ExtraBoldItalic',
      'ROBOTO_SERIF_EXPANDED_EXTRA_LIGHT=RobotoSerif_Expanded-ExtraLight,ROBOTO_SERIF_EXPANDED_EXTRA_LIGHT_ITALIC=RobotoSerif_Expanded-ExtraLightItalic',
      'ROBOTO_SERIF_EXPANDED_ITALIC=RobotoSerif_Expanded-Italic,ROBOTO_SERIF_EXPANDED_LIGHT=RobotoSerif_Expanded-Light,ROBOTO_SERIF_EXPANDED_LIGHT_ITALIC=RobotoSerif_Expanded-LightItalic',
      'ROBOTO_SERIF_EXPANDED_MEDIUM=RobotoSerif_Expanded-Medium,ROBOTO_SERIF_EXPANDED_MEDIUM_ITALIC=RobotoSerif_Expanded-MediumItalic,ROBOTO_SERIF_EXPANDED_REGULAR=RobotoSerif_Expanded-Regular',
      'ROBOTO_SERIF_EXPANDED_SEMI_BOLD=RobotoSerif_Expanded-SemiBold,ROBOTO_SERIF_EXPANDED_SEMI_BOLD_ITALIC=RobotoSerif_Expanded-SemiBoldItalic,ROBOTO_SERIF_EXPANDED_THIN=RobotoSerif_Expanded-Thin',
      'ROBOTO_SERIF_EXPANDED_THIN_ITALIC=RobotoSerif_Expanded-ThinItalic,ROBOTO_SERIF_EXTRA_CONDENSED_BLACK=RobotoSerif_ExtraCondensed-Black',
      'ROBOTO_SERIF_EXTRA_CONDENSED_BLACK_ITALIC=RobotoSerif_ExtraCondensed-BlackItalic,ROBOTO_SERIF_EXTRA_CONDENSED_BOLD=RobotoSerif_ExtraCondensed-Bold',
      'ROBOTO_SERIF_EXTRA_CONDENSED_BOLD_ITALIC=RobotoSerif_ExtraCondensed-BoldItalic,ROBOTO_SERIF_EXTRA_CONDENSED_EXTRA_BOLD=RobotoSerif_ExtraCondensed-ExtraBold',
      'ROBOTO_SERIF_EXTRA_CONDENSED_EXTRA_BOLD_ITALIC=RobotoSerif_ExtraCondensed-ExtraBoldItalic,ROBOTO_SERIF_EXTRA_CONDENSED_EXTRA_LIGHT=RobotoSerif_ExtraCondensed-ExtraLight',
      'ROBOTO_SERIF_EXTRA_CONDENSED_EXTRA_LIGHT_ITALIC=RobotoSerif_ExtraCondensed-ExtraLightItalic,ROBOTO_SERIF_EXTRA_CONDENSED_ITALIC=RobotoSerif_ExtraCondensed-Italic',
      'ROBOTO_SERIF_EXTRA_CONDENSED_LIGHT=RobotoSerif_ExtraCondensed-Light,ROBOTO_SERIF_EXTRA_CONDENSED_LIGHT_ITALIC=RobotoSerif_ExtraCondensed-LightItalic',
      'ROBOTO_SERIF_EXTRA_CONDENSED_MEDIUM=RobotoSerif_ExtraCondensed-Medium,ROBOTO_SERIF_EXTRA_CONDENSED_MEDIUM_ITALIC=RobotoSerif_ExtraCondensed-MediumItalic',
      'ROBOTO_SERIF_EXTRA_CONDENSED_REGULAR=RobotoSerif_ExtraCondensed-Regular,ROBOTO_SERIF_EXTRA_CONDENSED_SEMI_BOLD=RobotoSerif_ExtraCondensed-SemiBold',
      'ROBOTO_SERIF_EXTRA_CONDENSED_SEMI_BOLD_ITALIC=RobotoSerif_ExtraCondensed-SemiBoldItalic,ROBOTO_SERIF_EXTRA_CONDENSED_THIN=RobotoSerif_ExtraCondensed-Thin',
      'ROBOTO_SERIF_EXTRA_CONDENSED_THIN_ITALIC=RobotoSerif_ExtraCondensed-ThinItalic,ROBOTO_SERIF_EXTRA_EXPANDED_BLACK=RobotoSerif_ExtraExpanded-Black',
      'ROBOTO_SERIF_EXTRA_EXPANDED_BLACK_ITALIC=RobotoSerif_ExtraExpanded-BlackItalic,ROBOTO_SERIF_EXTRA_EXPANDED_BOLD=RobotoSerif_ExtraExpanded-Bold',
      'ROBOTO_SERIF_EXTRA_EXPANDED_BOLD_ITALIC=RobotoSerif_ExtraExpanded-BoldItalic,ROBOTO_SERIF_EXTRA_EXPANDED_EXTRA_BOLD=RobotoSerif_ExtraExpanded-ExtraBold',
      'ROBOTO_SERIF_EXTRA_EXPANDED_EXTRA_BOLD_ITALIC=RobotoSerif_ExtraExpanded-ExtraBoldItalic,ROBOTO_SERIF_EXTRA_EXPANDED_EXTRA_LIGHT=RobotoSerif_ExtraExpanded-ExtraLight',
      'ROBOTO_SERIF_EXTRA_EXPANDED_EXTRA_LIGHT_ITALIC=RobotoSerif_ExtraExpanded-ExtraLightItalic,ROBOTO_SERIF_EXTRA_EXPANDED_ITALIC=RobotoSerif_ExtraExpanded-Italic',
      'ROBOTO_SERIF_EXTRA_EXPANDED_LIGHT=RobotoSerif_ExtraExpanded-Light,ROBOTO_SERIF_EXTRA_EXPANDED_LIGHT_ITALIC=RobotoSerif_ExtraExpanded-LightItalic',
      'ROBOTO_SERIF_EXTRA_EXPANDED_MEDIUM=RobotoSerif_ExtraExpanded-Medium,ROBOTO_SERIF_EXTRA_EXPANDED_MEDIUM_ITALIC=RobotoSerif_ExtraExpanded-MediumItalic',
      'ROBOTO_SERIF_EXTRA_EXPANDED_REGULAR=RobotoSerif_ExtraExpanded-Regular,ROBOTO_SERIF_EXTRA_EXPANDED_SEMI_BOLD=RobotoSerif_ExtraExpanded-SemiBold',
      'ROBOTO_SERIF_EXTRA_EXPANDED_SEMI_BOLD_ITALIC=RobotoSerif_ExtraExpanded-SemiBoldItalic,ROBOTO_SERIF_EXTRA_EXPANDED_THIN=RobotoSerif_ExtraExpanded-Thin',
      'ROBOTO_SERIF_EXTRA_EXPANDED_THIN_ITALIC=RobotoSerif_ExtraExpanded-ThinItalic,ROBOTO_SERIF_SEMI_CONDENSED_BLACK=RobotoSerif_SemiCondensed-Black',
      'ROBOTO_SERIF_SEMI_CONDENSED_BLACK_ITALIC=RobotoSerif_SemiCondensed-BlackItalic,ROBOTO_SERIF_SEMI_CONDENSED_BOLD=RobotoSerif_SemiCondensed-Bold',
      'ROBOTO_SERIF_SEMI_CONDENSED_BOLD_ITALIC=RobotoSerif_SemiCondensed-BoldItalic,ROBOTO_SERIF_SEMI_CONDENSED_EXTRA_BOLD=RobotoSerif_SemiCondensed-ExtraBold',
      'ROBOTO_SERIF_SEMI_CONDENSED_EXTRA_BOLD_ITALIC=RobotoSerif_SemiCondensed-ExtraBoldItalic,ROBOTO_SERIF_SEMI_CONDENSED_EXTRA_LIGHT=RobotoSerif_SemiCondensed-ExtraLight',
      'ROBOTO_SERIF_SEMI_CONDENSED_EXTRA_LIGHT_ITALIC=RobotoSerif_SemiCondensed-ExtraLightItalic,ROBOTO_SERIF_SEMI_CONDENSED_ITALIC=RobotoSerif_SemiCondensed-Italic',
      'ROBOTO_SERIF_SEMI_CONDENSED_LIGHT=RobotoSerif_SemiCondensed-Light,ROBOTO_SERIF_SEMI_CONDENSED_LIGHT_ITALIC=RobotoSerif_SemiCondensed-LightItalic',
      'ROBOTO_SERIF_SEMI_CONDENSED_MEDIUM=RobotoSerif_SemiCondensed-Medium,ROBOTO_SERIF_SEMI_CONDENSED_MEDIUM_ITALIC=RobotoSerif_SemiCondensed-MediumItalic',
      'ROBOTO_SERIF_SEMI_CONDENSED_REGULAR=RobotoSerif_SemiCondensed-Regular,ROBOTO_SERIF_SEMI_CONDENSED_SEMI_BOLD=RobotoSerif_SemiCondensed-SemiBold',
      'ROBOTO_SERIF_SEMI_CONDENSED_SEMI_BOLD_ITALIC=RobotoSerif_SemiCondensed-SemiBoldItalic,ROBOTO_SERIF_SEMI_CONDENSED_THIN=RobotoSerif_SemiCondensed-Thin',
      'ROBOTO_SERIF_SEMI_CONDENSED_THIN_ITALIC=RobotoSerif_SemiCondensed-ThinItalic,ROBOTO_SERIF_SEMI_EXPANDED_BLACK=RobotoSerif_SemiExpanded-Black',
      'ROBOTO_SERIF_SEMI_EXPANDED_BLACK_ITALIC=RobotoSerif_SemiExpanded-BlackItalic,ROBOTO_SERIF_SEMI_EXPANDED_BOLD=RobotoSerif_SemiExpanded-Bold',
      'ROBOTO_SERIF_SEMI_EXPANDED_BOLD_ITALIC=RobotoSerif_SemiExpanded-BoldItalic,ROBOTO_SERIF_SEMI_EXPANDED_EXTRA_BOLD=RobotoSerif_SemiExpanded-ExtraBold',
      'ROBOTO_SERIF_SEMI_EXPANDED_EXTRA_BOLD_ITALIC=RobotoSerif_SemiExpanded-ExtraBoldItalic,ROBOTO_SERIF_SEMI_EXPANDED_EXTRA_LIGHT=RobotoSerif_SemiExpanded-ExtraLight',
      'ROBOTO_SERIF_SEMI_EXPANDED_EXTRA_LIGHT_ITALIC=RobotoSerif_SemiExpanded-ExtraLightItalic,ROBOTO_SERIF_SEMI_EXPANDED_ITALIC=RobotoSerif_SemiExpanded-Italic',
      'ROBOTO_SERIF_SEMI_EXPANDED_LIGHT=RobotoSerif_SemiExpanded-Light,ROBOTO_SERIF_SEMI_EXPANDED_LIGHT_ITALIC=RobotoSerif_SemiExpanded-LightItalic',
      'ROBOTO_SERIF_SEMI_EXPANDED_MEDIUM=RobotoSerif_SemiExpanded-Medium,ROBOTO_SERIF_SEMI_EXPANDED_MEDIUM_ITALIC=RobotoSerif_SemiExpanded-MediumItalic',
      'ROBOTO_SERIF_SEMI_EXPANDED_REGULAR=RobotoSerif_SemiExpanded-Regular,ROBOTO_SERIF_SEMI_EXPANDED_SEMI_BOLD=RobotoSerif_SemiExpanded-SemiBold',
      'ROBOTO_SERIF_SEMI_EXPANDED_SEMI_BOLD_ITALIC=RobotoSerif_SemiExpanded-SemiBoldItalic,ROBOTO_SERIF_SEMI_EXPANDED_THIN=RobotoSerif_SemiExpanded-Thin',
      'ROBOTO_SERIF_SEMI_EXPANDED_THIN_ITALIC=RobotoSerif_SemiExpanded-ThinItalic,ROBOTO_SERIF_ULTRA_CONDENSED_BLACK=RobotoSerif_UltraCondensed-Black',
      'ROBOTO_SERIF_ULTRA_CONDENSED_BLACK_ITALIC=RobotoSerif_UltraCondensed-BlackItalic,ROBOTO_SERIF_ULTRA_CONDENSED_BOLD=RobotoSerif_UltraCondensed-Bold',
      'ROBOTO_SERIF_ULTRA_CONDENSED_BOLD_ITALIC=RobotoSerif_UltraCondensed-BoldItalic,ROBOTO_SERIF_ULTRA_CONDENSED_EXTRA_BOLD=RobotoSerif_UltraCondensed-ExtraBold',
      'ROBOTO_SERIF_ULTRA_CONDENSED_EXTRA_BOLD_ITALIC=RobotoSerif_UltraCondensed-ExtraBoldItalic,ROBOTO_SERIF_ULTRA_CONDENSED_EXTRA_LIGHT=RobotoSerif_UltraCondensed-ExtraLight',
      'ROBOTO_SERIF_ULTRA_CONDENSED_EXTRA_LIGHT_ITALIC=RobotoSerif_UltraCondensed-ExtraLightItalic,ROBOTO_SERIF_ULTRA_CONDENSED_ITALIC=RobotoSerif_UltraCondensed-Italic',
      'ROBOTO_SERIF_ULTRA_CONDENSED_LIGHT=RobotoSerif_UltraCondensed-Light,ROBOTO_SERIF_ULTRA_CONDENSED_LIGHT_ITALIC=RobotoSerif_UltraCondensed-LightItalic',
      'ROBOTO_SERIF_ULTRA_CONDENSED_MEDIUM=RobotoSerif_UltraCondensed-Medium,ROBOTO_SERIF_ULTRA_CONDENSED_MEDIUM_ITALIC=RobotoSerif_UltraCondensed-MediumItalic',
      'ROBOTO_SERIF_ULTRA_CONDENSED_REGULAR=RobotoSerif_UltraCondensed-Regular,ROBOTO_SERIF_ULTRA_CONDENSED_SEMI_BOLD=RobotoSerif_UltraCondensed-SemiBold',
      'ROBOTO_SERIF_ULTRA_CONDENSED_SEMI_BOLD_ITALIC=RobotoSerif_UltraCondensed-SemiBoldItalic,ROBOTO_SERIF_ULTRA_CONDENSED_THIN=RobotoSerif_UltraCondensed-Thin',
      'ROBOTO_SERIF_ULTRA_CONDENSED_THIN_ITALIC=RobotoSerif_UltraCondensed-ThinItalic,ROBOTO_SLAB_BLACK=RobotoSlab-Black,ROBOTO_SLAB_BOLD=RobotoSlab-Bold,ROBOTO_SLAB_EXTRA_BOLD=RobotoSlab-ExtraBold',
      'ROBOTO_SLAB_EXTRA_LIGHT=RobotoSlab-ExtraLight,ROBOTO_SLAB_LIGHT=RobotoSlab-Light,ROBOTO_SLAB_MEDIUM=RobotoSlab-Medium,ROBOTO_SLAB_REGULAR=RobotoSlab-Regular,ROBOTO_BLACK=Roboto-Black',
      'ROBOTO_BLACK_ITALIC=Roboto-BlackItalic,ROBOTO_BOLD=Roboto-Bold,ROBOTO_BOLD_ITALIC=Roboto-BoldItalic,ROBOTO_LIGHT=Roboto-Light,ROBOTO_LIGHT_ITALIC=Roboto-LightItalic',
      'ROBOTO_MEDIUM=Roboto-Medium,ROBOTO_MEDIUM_ITALIC=Roboto-MediumItalic,ROBOTO_REGULAR=Roboto-Regular,ROBOTO_REGULAR_ITALIC=Roboto-RegularItalic,ROBOTO_THIN=Roboto-Thin',
      'ROBOTO_THIN_ITALIC=Roboto-ThinItalic',
    ],
    'RecorderLabelPosition', '', [
      'TOP_LEFT=top left,TOP_CENTER=top center,TOP_RIGHT=top right,MIDDLE_LEFT=middle left,MIDDLE_CENTER=middle center,MIDDLE_RIGHT=middle right,BOTTOM_LEFT=bottom left,BOTTOM_CENTER=bottom center',
      'BOTTOM_RIGHT=bottom right',
    ],
    'RecorderLabelTextAlign', '', 'TOP_LEFT=T+L,TOP_CENTER=T+C,TOP_RIGHT=T+R,MIDDLE_LEFT=M+L,MIDDLE_CENTER=M+C,MIDDLE_RIGHT=M+R,BOTTOM_LEFT=B+L,BOTTOM_CENTER=B+C,BOTTOM_RIGHT=B+R',
    'RecorderLayout', '', 'grid,tribune,custom',
    'RecorderObjectFit', '', 'fill,contain,cover,none',
    'RecorderProfile', '', 'NHD,VGA,HD,FHD,QHD,4K',
    'SequencePlayerEvents', 'SequencePlayer.', 'Created,PlaybackReady,Started,Stopped,PlaybackFinished,Error,PlaybackMarkerReached',
    'SmartQueueEvents', 'SmartQueue.', 'Waiting,OperatorReached,EnqueueSuccess,TaskDistributed=SmartQueue.DistributeTask,ClientDisconnected,TaskCanceled,Error',
    'SmartQueueOperatorSettingsMode', '', 'STRICT,SMART',
    'StreamingAgentEvents', 'StreamingAgent.', [
      'Connected,ConnectionFailed,Error,Disconnected,StreamStarted=StreamingAgent.Stream.Started,StreamStopped=StreamingAgent.Stream.Stopped,StreamError=StreamingAgent.Stream.Error',
      'AudioStreamCreated=StreamingAgent.Stream.AudioStarted,VideoStreamCreated=StreamingAgent.Stream.VideoStarted,AudioSwitched=StreamingAgent.Stream.AudioSwitched',
      'VideoSwitched=StreamingAgent.Stream.VideoSwitched',
    ],
    'TaskWaitingCode', '', 'NONE#500,SUCCESS#200,CANNOT_BE_ESTIMATED#501,OVERFLOWED#503',
    'TerminationStatus', '', [
      'NONE#0,INTERNAL_ERROR#500,NORMAL#1000,TIMEOUT_REACHED#1001,MS_NOT_ANSWERED#1002,QUEUE_EMPTY#1003,MAX_WAITING_TIME_REACHED#1004,MAX_QUEUE_SIZE_REACHED#1005,OPERATOR_NOT_AVAILABLE#1006',
      'CLIENT_TERMINATE#1100,FINISHED_BY_CLIENT#1201,FINISHED_BY_OPERATOR#1202,FAILED#1203,CANCELED#1204,TRANSFERRED#1205',
    ],
    'TranscriptionProvider', '', 'GOOGLE=google,YANDEX=yandex,TBANK=tcs',
    'WebSocketAudioEncoding', '', 'PCM8,PCM16_8KHZ=PCM8,PCM16,PCM16_16KHZ=PCM16,ALAW,ULAW,OPUS',
    'WebSocketCloseCode', '', [
      'CLOSE_NORMAL#1000,CLOSE_GOING_AWAY#1001,CLOSE_PROTOCOL_ERROR#1002,CLOSE_UNSUPPORTED#1003,CLOSED_NO_STATUS#1005,CLOSE_ABNORMAL#1006,CLOSE_UNSUPPORTED_PAYLOAD#1007,CLOSE_POLICY_VIOLATION#1008',
      'CLOSE_TOO_LARGE#1009,CLOSE_MANDATORY_EXTENSION#1010,CLOSE_SERVER_ERROR#1011,CLOSE_SERVICE_RESTART#1012,CLOSE_TRY_AGAIN_LATER#1013,CLOSE_BAD_GATEWAY#1014,CLOSE_TLS_FAIL#1015',
    ],
    'WebSocketEvents', '', [
      'OPEN=WebSocket.Open,CLOSE=WebSocket.Close,MESSAGE=WebSocket.Message,ERROR=WebSocket.Error,CREATED=WebSocket.Created,MEDIA_STARTED=WebSocket.MediaEventStarted',
      'MEDIA_ENDED=WebSocket.MediaEventEnded',
    ],
    'WebSocketReadyState', '', 'CLOSED=closed,CLOSING=closing,CONNECTING=connecting,OPEN=open',
    'TTSEffectsProfile', '', [
      'WearableClassDevice=wearable-class-device,HandsetClassDevice=handset-class-device,HeadphoneClassDevice=headphone-class-device',
      'SmallBluetoothSpeakerClassDevice=small-bluetooth-speaker-class-device,MediumBluetoothSpeakerClassDevice=medium-bluetooth-speaker-class-device',
      'LargeHomeEntertainmentClassDevice=large-home-entertainment-class-device,LargeAutomotiveClassDevice=large-automotive-class-device,TelephonyClassApplication=telephony-class-application',
    ],
    'URLPlayerRequestMethod', '', 'GET,POST',
  ];

  // The enums declared inside namespaces, by dotted path.
  const NS_ENUMS = [
    'AI.Events', 'AI.Events.', [
      'DialogflowQueryResult,DialogflowRecognitionResult,DialogflowResponse,DialogflowError,DialogflowStopped,DialogflowPlaybackFinished,DialogflowPlaybackStarted,DialogflowPlaybackMarkerReached',
      'VoicemailDetected,VoicemailNotDetected',
    ],
    'AMD.Events', 'AMD.Events.', 'DetectionComplete,DetectionError',
    'AMD.Model', '', 'BR=br,CL=cl,CO=colombia,KZ=kz,MX=mx,RU=ru,PH=ph,PE=pe,US=us,EU_GENERAL=eu_general',
    'AMD.ResultClass', '', 'VOICEMAIL,HUMAN,TIMEOUT,CALL_ENDED',
    'AMD.ResultSubtype', '', 'MIMIC,NONE',
    'CCAI.Events.Agent', 'AI.Events.CcaiAgent', 'Started,Stopped',
    'CCAI.Events.Conversation', 'AI.Events.CcaiConversation', 'Created,ProfileCreated,Completed,Error',
    'CCAI.Events.Participant', 'AI.Events.CcaiParticipant', 'Created,Response,PlaybackFinished,PlaybackStarted,PlaybackStopped,PlaybackReady,MarkerReached',
    'CCAI.Vendor.Role', '', 'ROLE_UNSPECIFIED#0,AUTOMATED_AGENT#1,END_USER#2',
    'ElevenLabs.AgentsEvents', 'ElevenLabs.Agents.', [
      'Unknown,HTTPResponse,ConversationInitiationMetadata,Ping,UserTranscript,AgentResponse,AgentResponseCorrection,Interruption,ContextualUpdate,ClientToolCall,VadScore',
      'InternalTentativeAgentResponse,WebSocketError,ConnectorInformation,AgentToolResponse',
    ],
    'ElevenLabs.Events', 'ElevenLabs.Events.', 'WebSocketMediaStarted,WebSocketMediaEnded',
    'Gemini.Backend', '', 'GEMINI_API=GeminiAPI,VERTEX_AI=VertexAI',
    'Gemini.Events', 'Gemini.Events.', 'WebSocketMediaStarted,WebSocketMediaEnded',
    'Gemini.LiveAPIEvents', 'Gemini.LiveAPI.', 'Unknown,ServerContent,ToolCall,ToolCallCancellation,ConnectorInformation',
    'OpenAI.Beta.Events', 'OpenAI.Beta.Events.', 'WebSocketMediaStarted,WebSocketMediaEnded',
    'OpenAI.Beta.RealtimeAPIEvents', 'OpenAI.Beta.RealtimeAPI.', [
      'Unknown,Error,SessionCreated,SessionUpdated,ConversationCreated,ConversationItemCreated,ConversationItemRetrieved,ConversationItemInputAudioTranscriptionCompleted',
      'ConversationItemInputAudioTranscriptionDelta,ConversationItemInputAudioTranscriptionFailed,ConversationItemTruncated,ConversationItemDeleted,InputAudioBufferCommitted,InputAudioBufferCleared',
      'InputAudioBufferSpeechStarted,InputAudioBufferSpeechStopped,ResponseCreated,ResponseDone,ResponseOutputItemAdded,ResponseOutputItemDone,ResponseContentPartAdded,ResponseContentPartDone',
      'ResponseTextDelta,ResponseTextDone,ResponseAudioTranscriptDelta,ResponseAudioTranscriptDone,ResponseAudioDone,ResponseFunctionCallArgumentsDelta,ResponseFunctionCallArgumentsDone',
      'RateLimitsUpdated',
    ],
    'OpenAI.Events', 'OpenAI.Events.', 'WebSocketMediaStarted,WebSocketMediaEnded',
    'OpenAI.RealtimeAPIClientType', '', 'REALTIME=realtime,TRANSCRIPTION=transcription',
    'OpenAI.RealtimeAPIEvents', 'OpenAI.RealtimeAPI.', [
      'Unknown,HTTPResponse,Error,SessionCreated,SessionUpdated,ConversationItemAdded,ConversationItemDone,ConversationItemRetrieved,ConversationItemInputAudioTranscriptionCompleted',
      'ConversationItemInputAudioTranscriptionDelta,ConversationItemInputAudioTranscriptionSegment,ConversationItemInputAudioTranscriptionFailed,ConversationItemTruncated,ConversationItemDeleted',
      'InputAudioBufferCommitted,InputAudioBufferCleared,InputAudioBufferSpeechStarted,InputAudioBufferSpeechStopped,InputAudioBufferTimeoutTriggered,ResponseCreated,ResponseDone',
      'ResponseOutputItemAdded,ResponseOutputItemDone,ResponseContentPartAdded,ResponseContentPartDone,ResponseOutputTextDelta,ResponseOutputTextDone,ResponseOutputAudioTranscriptDelta',
      'ResponseOutputAudioTranscriptDone,ResponseOutputAudioDone,ResponseFunctionCallArgumentsDelta,ResponseFunctionCallArgumentsDone,ResponseMCPCallArgumentsDelta,ResponseMCPCallArgumentsDone',
      'ResponseMCPCallInProgress,ResponseMCPCallCompleted,ResponseMCPCallFailed,MCPListToolsInProgress,MCPListToolsCompleted,MCPListToolsFailed',
      'RateLimitsUpdated=OpenAI.RealtimeAPI.ResponseMCPCallFailed,WebSocketError,ConnectorInformation',
    ],
    'Ultravox.Events', 'Ultravox.Events.', 'WebSocketMediaStarted,WebSocketMediaEnded',
    'Ultravox.HTTPEndpoint', '', 'CREATE_CALL=CreateCall,CREATE_AGENT_CALL=CreateAgentCall,JOIN_CALL=JoinCall',
    'Ultravox.WebSocketAPIEvents', 'Ultravox.WebSocketAPI.', [
      'Unknown,HTTPResponse,State,Transcript,ClientToolInvocation,Debug,PlaybackClearBuffer,WebSocketError,ConnectorInformation',
    ],
    'VoximplantAvatar.Events', 'AvatarEvents.', 'Loaded,Finish,UtteranceParsed,Reply,Error',
    'Yandex.Events', 'Yandex.Events.', 'WebSocketMediaStarted,WebSocketMediaEnded',
    'Yandex.RealtimeAPIEvents', 'Yandex.RealtimeAPI.', [
      'Unknown,HTTPResponse,WebSocketError,ConnectorInformation,Error,SessionCreated,SessionUpdated,ConversationItemCreated,ConversationItemRetrieved',
      'ConversationItemInputAudioTranscriptionCompleted,ConversationItemInputAudioTranscriptionDelta,ConversationItemInputAudioTranscriptionSegment,ConversationItemInputAudioTranscriptionFailed',
      'ConversationItemTruncated,ConversationItemDeleted,InputAudioBufferCommitted,InputAudioBufferCleared,InputAudioBufferSpeechStarted,InputAudioBufferSpeechStopped',
      'InputAudioBufferTimeoutTriggered,ResponseCreated,ResponseDone,ResponseOutputItemAdded,ResponseOutputItemDone,ResponseContentPartAdded,ResponseContentPartDone,ResponseOutputTextDelta',
      'ResponseOutputTextDone,ResponseOutputAudioTranscriptDelta,ResponseOutputAudioTranscriptDone,ResponseOutputAudioDone,ResponseFunctionCallArgumentsDelta,ResponseFunctionCallArgumentsDone',
      'ResponseMCPCallArgumentsDelta,ResponseMCPCallArgumentsDone,ResponseMCPCallInProgress,ResponseMCPCallCompleted,ResponseMCPCallFailed,MCPListToolsInProgress,MCPListToolsCompleted',
      'MCPListToolsFailed,RateLimitsUpdated=Yandex.RealtimeAPI.ResponseMCPCallFailed',
    ],
  ];

  // ASRProfileList / ASRModelList: provider -> members. The typings give the members no
  // values, so each value is its own dotted path ('ASRProfileList.Google.en_US').
  function pathTable(root, list) {
    const { names, at } = index(list, 2);
    return lazy(names, (name) => members(root + '.' + name + '.', list[at[name] + 1]));
  }
  const ASR_PROFILES = [
    'Amazon', 'en_GB,en_US,es_US,fr_CA,fr_FR',
    'Deepgram', 'zh,zh_CN,zh_TW,da,nl,en,en_AU,en_GB,en_IN,en_NZ,en_US,fr,fr_CA,de,hi,hi_Latn,id,it,ja,ko,no,pl,pt,pt_BR,pt_PT,ru,es,es_419,sv,ta,tr,uk',
    'Google', [
      'af_ZA,sq_AL,am_ET,ar_DZ,ar_BH,ar_EG,ar_IQ,ar_IL,ar_JO,ar_KW,ar_LB,ar_MR,ar_MA,ar_OM,ar_QA,ar_SA,ar_PS,ar_SY,ar_TN,ar_AE,ar_YE,hy_AM,az_AZ,eu_ES,bn_BD,bn_IN,bs_BA,bg_BG,my_MM,ca_ES',
      'cmn_Hans_CN,cmn_Hans_HK,cmn_Hant_TW,yue_Hant_HK,hr_HR,cs_CZ,da_DK,nl_BE,nl_NL,en_AU,en_CA,en_GH,en_HK,en_IN,en_IE,en_KE,en_NZ,en_NG,en_PK,en_PH,en_SG,en_ZA,en_TZ,en_GB,en_US,et_EE,fil_PH',
      'fi_FI,fr_BE,fr_CA,fr_FR,fr_CH,gl_ES,ka_GE,de_AT,de_DE,de_CH,el_GR,gu_IN,iw_IL,hi_IN,hu_HU,is_IS,id_ID,it_IT,it_CH,ja_JP,jv_ID,kn_IN,kk_KZ,km_KH,rw_RW,ko_KR,lo_LA,lv_LV,lt_LT,mk_MK,ms_MY',
      'ml_IN,mr_IN,mn_MN,ne_NP,no_NO,fa_IR,pl_PL,pt_BR,pt_PT,pa_Guru_IN,ro_RO,ru_RU,sr_RS,si_LK,sk_SK,sl_SI,st_ZA,es_AR,es_BO,es_CL,es_CO,es_CR,es_DO,es_EC,es_SV,es_GT,es_HN,es_MX,es_NI,es_PA,es_PY',
      'es_PE,es_PR,es_ES,es_US,es_UY,es_VE,su_ID,sw_KE,sw_TZ,ss_Latn_ZA,sv_SE,ta_IN,ta_MY,ta_SG,ta_LK,te_IN,th_TH,ts_ZA,tn_Latn_ZA,tr_TR,uk_UA,ur_IN,ur_PK,uz_UZ,ve_ZA,vi_VN,xh_ZA,zu_ZA',
    ],
    'Microsoft', [
      'af_ZA,am_ET,ar_AE,ar_BH,ar_DZ,ar_EG,ar_IL,ar_IQ,ar_JO,ar_KW,ar_LB,ar_LY,ar_MA,ar_OM,ar_PS,ar_QA,ar_SA,ar_SY,ar_TN,ar_YE,as_IN,az_AZ,bg_BG,bn_IN,bs_BA,ca_ES,cs_CZ,cy_GB,da_DK,de_AT,de_CH',
      'de_DE,el_GR,en_AU,en_CA,en_GB,en_GH,en_HK,en_IE,en_IN,en_KE,en_NG,en_NZ,en_PH,en_SG,en_TZ,en_US,en_ZA,es_AR,es_BO,es_CL,es_CO,es_CR,es_CU,es_DO,es_EC,es_ES,es_GQ,es_GT,es_HN,es_MX,es_NI',
      'es_PA,es_PE,es_PR,es_PY,es_SV,es_US,es_UY,es_VE,et_EE,eu_ES,fa_IR,fi_FI,fil_PH,fr_BE,fr_CA,fr_CH,fr_FR,ga_IE,gl_ES,gu_IN,he_IL,hi_IN,hr_HR,hu_HU,hy_AM,id_ID,is_IS,it_CH,it_IT,ja_JP,jv_ID',
      'ka_GE,kk_KZ,km_KH,kn_IN,ko_KR,lo_LA,lt_LT,lv_LV,mk_MK,ml_IN,mn_MN,mr_IN,ms_MY,mt_MT,my_MM,nb_NO,ne_NP,nl_BE,nl_NL,or_IN,pa_IN,pl_PL,ps_AF,pt_BR,pt_PT,ro_RO,ru_RU,si_LK,sk_SK,sl_SI,so_SO',
      'sq_AL,sr_RS,sv_SE,sw_KE,sw_TZ,ta_IN,te_IN,th_TH,tr_TR,uk_UA,ur_IN,uz_UZ,vi_VN,wuu_CN,yue_CN,zh_CN,zh_CN_shandong,zh_CN_sichuan,zh_HK,zh_TW,zu_ZA',
    ],
    'SaluteSpeech', 'ru_RU',
    'TBank', 'ru_RU',
    'Yandex', 'auto,de_DE,en_US,es_ES,fi_FI,fr_FR,he_HE,it_IT,kk_KK,nl_NL,pl_PL,pt_PT,pt_BR,ru_RU,sv_SE,tr_TR,uz_UZ',
    'YandexV3', 'auto,de_DE,en_US,es_ES,fi_FI,fr_FR,he_HE,it_IT,kk_KK,nl_NL,pl_PL,pt_PT,pt_BR,ru_RU,sv_SE,tr_TR,uz_UZ',
  ];
  const ASR_MODELS = [
    'Amazon', 'default',
    'Deepgram', [
      'default,general,general_enhanced,meeting,meeting_enhanced,phonecall,phonecall_enhanced,voicemail,finance,finance_enhanced,conversational,video,nova_general,nova_phonecall,nova2_general',
      'nova2_meeting,nova2_phonecall,nova2_voicemail,nova2_finance,nova2_conversationalai,nova2_video,nova2_medical,nova2_drivethru,nova2_automotive,nova2_atc,nova3_general,nova3_medical',
    ],
    'Google', 'default,default_enhanced,command_and_search,command_and_search_enhanced,phone_call,phone_call_enhanced,video,video_enhanced',
    'Microsoft', 'default',
    'SaluteSpeech', 'default,general,media,callcenter',
    'TBank', 'default',
    'Yandex', 'default,general,generalrc,dates,names,maps,numbers',
    'YandexV3', 'default,general,generalrc,dates,names,maps,numbers',
  ];

  // VoiceList: provider -> voices; 'Provider.Sub' records hold a sub-namespace. Voices are
  // space-separated: 'locale:a,b' stands for locale_a and locale_b, a bare name for itself,
  // and an item ending in '*' for that prefix followed by each name of CHIRP3 (the set most
  // Google locales share).
  const CHIRP3 = items([
    'Achernar,Achird,Algenib,Algieba,Alnilam,Aoede,Autonoe,Callirrhoe,Charon,Despina,Enceladus,Erinome,Fenrir,Gacrux,Iapetus,Kore,Laomedeia,Leda,Orus,Puck,Pulcherrima,Rasalgethi,Sadachbia',
    'Sadaltager,Schedar,Sulafat,Umbriel,Vindemiatrix,Zephyr,Zubenelgenubi',
  ], ',');
  const VOICES = [
    'Amazon', [
      'en_US:Joanna,Salli,Matthew,Kimberly,Kendra,Justin,Joey,Ivy es_US:Lupe,Penelope,Miguel tr_TR:Filiz sv_SE:Astrid ru_RU:Tatyana,Maxim ro_RO:Carmen pt_PT:Ines,Cristiano',
      'pt_BR:Vitoria,Ricardo,Camila pl_PL:Maja,Jan,Jacek,Ewa nl_NL:Ruben,Lotte nb_NO:Liv ko_KR:Seoyeon ja_JP:Takumi,Mizuki it_IT:Bianca,Giorgio,Carla is_IS:Karl,Dora fr_FR:Mathieu,Lea,Celine',
      'fr_CA:Chantal es_MX:Mia es_ES:Lucia,Enrique,Conchita en_GB:WLS_Geraint,Emma,Brian,Amy en_IN:Raveena,Aditi en_AU:Russell,Nicole de_DE:Vicki,Marlene,Hans da_DK:Naja,Mads cy_GB:Gwyneth',
      'cmn_CN:Zhiyu arb_Zeina',
    ],
    'Amazon.Neural', [
      'fr_BE:Isabelle en_US:Danielle,Gregory,Joanna,Ruth,Kevin,Salli,Matthew,Kimberly,Kendra,Justin,Joey,Ivy,Stephen tr_TR:Burcu cs_CZ:Jitka de_CH:Sabrina es_US:Lupe,Pedro en_SG:Jasmine',
      'ko_KR:Jihye,Seoyeon sv_SE:Elin pt_PT:Ines pt_BR:Vitoria,Camila,Thiago pl_PL:Ola nl_BE:Lisa nl_NL:Laura nb_NO:Ida ja_JP:Kazuha,Tomoko,Takumi it_IT:Bianca,Adriano fr_FR:Lea,Remi',
      'fr_CA:Gabrielle,Liam es_MX:Mia,Andres es_ES:Lucia,Sergio en_NZ:Aria en_ZA:Ayanda en_GB:Emma,Brian,Amy,Arthur en_AU:Olivia de_DE:Vicki,Daniel da_DK:Sofie cmn_CN:Zhiyu ar_AE:Hala,Zayd',
      'ca_ES:Arlet de_AT:Hannah en_IN:Kajal yue_CN:Hiujin fi_FI:Suvi en_IE:Niamh',
    ],
    'Default', [
      'ru_RU:Female,Male en_US:Female,Male cmn_CN:Female nl_NL:Female,Male da_DK:Female,Male hi_IN:Female de_DE:Female,Male it_IT:Female,Male ja_JP:Female,Male ko_KR:Female nb_NO:Female',
      'pl_PL:Female,Male pt_PT:Female,Male ro_RO:Female es_ES:Female,Male sv_SE:Female tr_TR:Female',
    ],
    'ElevenLabs', 'Alice Aria Bill Brian Callum Charlie Charlotte Chris Daniel Eric George Jessica Laura Liam Lily Matilda River Roger Sarah Will',
    'Google', [
      'af_ZA:Standard_A am_ET:Standard_A,Standard_B,Wavenet_A,Wavenet_B ar_XA:Chirp3_HD_*,Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D bg_BG:Standard_B',
      'bn_IN:Chirp3_HD_*,Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D ca_ES:Standard_B',
      'cmn_CN:Chirp3_HD_*,Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D cmn_TW:Standard_A,Standard_B,Standard_C,Wavenet_A,Wavenet_B,Wavenet_C',
      'cs_CZ:Standard_B,Wavenet_B da_DK:Neural2_F,Standard_F,Standard_G,Wavenet_F,Wavenet_G',
      'de_DE:Chirp_HD_D,Chirp_HD_F,Chirp_HD_O,Chirp3_HD_*,Neural2_G,Neural2_H,Polyglot_1,Standard_G,Standard_H,Studio_B,Studio_C,Wavenet_G,Wavenet_H el_GR:Standard_B,Wavenet_B',
      'en_AU:Chirp_HD_D,Chirp_HD_F,Chirp_HD_O,Chirp3_HD_*,Neural2_A,Neural2_B,Neural2_C,Neural2_D,News_E,News_F,News_G,Polyglot_1,Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B',
      'en_AU:Wavenet_C,Wavenet_D',
      'en_GB:Chirp_HD_D,Chirp_HD_F,Chirp_HD_O,Chirp3_HD_*,Neural2_A,Neural2_B,Neural2_C,Neural2_D,Neural2_F,Neural2_N,Neural2_O,News_G,News_H,News_I,News_J,News_K,News_L,News_M,Standard_A',
      'en_GB:Standard_B,Standard_C,Standard_D,Standard_F,Standard_N,Standard_O,Studio_B,Studio_C,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D,Wavenet_F,Wavenet_N,Wavenet_O',
      'en_IN:Chirp_HD_D,Chirp_HD_F,Chirp_HD_O,Chirp3_HD_*,Neural2_A,Neural2_B,Neural2_C,Neural2_D,Standard_A,Standard_B,Standard_C,Standard_D,Standard_E,Standard_F,Wavenet_A,Wavenet_B,Wavenet_C',
      'en_IN:Wavenet_D,Wavenet_E,Wavenet_F',
      'en_US:Casual_K,Chirp_HD_D,Chirp_HD_F,Chirp_HD_O,Chirp3_HD_*,Neural2_A,Neural2_C,Neural2_D,Neural2_E,Neural2_F,Neural2_G,Neural2_H,Neural2_I,Neural2_J,News_K,News_L,News_N,Polyglot_1',
      'en_US:Standard_A,Standard_B,Standard_C,Standard_D,Standard_E,Standard_F,Standard_G,Standard_H,Standard_I,Standard_J,Studio_O,Studio_Q,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D,Wavenet_E',
      'en_US:Wavenet_F,Wavenet_G,Wavenet_H,Wavenet_I,Wavenet_J',
      'es_ES:Chirp_HD_D,Chirp_HD_F,Chirp_HD_O,Chirp3_HD_*,Neural2_A,Neural2_E,Neural2_F,Neural2_G,Neural2_H,Polyglot_1,Standard_E,Standard_F,Standard_G,Standard_H,Studio_C,Studio_F,Wavenet_E',
      'es_ES:Wavenet_F,Wavenet_G,Wavenet_H',
      'es_US:Chirp_HD_D,Chirp_HD_F,Chirp_HD_O,Chirp3_HD_*,Neural2_A,Neural2_B,Neural2_C,News_D,News_E,News_F,News_G,Polyglot_1,Standard_A,Standard_B,Standard_C,Studio_B,Wavenet_A,Wavenet_B',
      'es_US:Wavenet_C et_EE:Standard_A eu_ES:Standard_B fi_FI:Standard_B,Wavenet_B fil_PH:Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D',
      'fil_ph:Neural2_A,Neural2_D',
      'fr_CA:Chirp_HD_D,Chirp_HD_F,Chirp_HD_O,Chirp3_HD_*,Neural2_A,Neural2_B,Neural2_C,Neural2_D,Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D',
      'fr_FR:Chirp_HD_D,Chirp_HD_F,Chirp_HD_O,Chirp3_HD_*,Neural2_F,Neural2_G,Polyglot_1,Standard_F,Standard_G,Studio_A,Studio_D,Wavenet_F,Wavenet_G gl_ES:Standard_B',
      'gu_IN:Chirp3_HD_*,Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D',
      'he_IL:Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D',
      'hi_IN:Chirp3_HD_*,Neural2_A,Neural2_B,Neural2_C,Neural2_D,Standard_A,Standard_B,Standard_C,Standard_D,Standard_E,Standard_F,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D,Wavenet_E,Wavenet_F',
      'hu_HU:Standard_B,Wavenet_A id_ID:Chirp3_HD_*,Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D is_IS:Standard_B',
      'it_IT:Chirp_HD_D,Chirp_HD_F,Chirp_HD_O,Chirp3_HD_*,Neural2_A,Neural2_E,Neural2_F,Standard_E,Standard_F,Wavenet_E,Wavenet_F',
      'ja_JP:Chirp3_HD_*,Neural2_B,Neural2_C,Neural2_D,Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D',
      'kn_IN:Chirp3_HD_*,Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D',
      'ko_KR:Chirp3_HD_*,Neural2_A,Neural2_B,Neural2_C,Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D lt_LT:Standard_B lv_LV:Standard_B',
      'ml_IN:Chirp3_HD_*,Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D mr_IN:Chirp3_HD_*,Standard_A,Standard_B,Standard_C,Wavenet_A,Wavenet_B,Wavenet_C',
      'ms_MY:Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D nb_NO:Standard_F,Standard_G,Wavenet_F,Wavenet_G',
      'nl_BE:Chirp3_HD_Achernar,Chirp3_HD_Achird,Chirp3_HD_Algenib,Chirp3_HD_Algieba,Chirp3_HD_Alnilam,Chirp3_HD_Autonoe,Chirp3_HD_Callirrhoe,Chirp3_HD_Despina,Chirp3_HD_Enceladus,Chirp3_HD_Erinome',
      'nl_BE:Chirp3_HD_Gacrux,Chirp3_HD_Iapetus,Chirp3_HD_Laomedeia,Chirp3_HD_Pulcherrima,Chirp3_HD_Rasalgethi,Chirp3_HD_Sadachbia,Chirp3_HD_Sadaltager,Chirp3_HD_Schedar,Chirp3_HD_Sulafat',
      'nl_BE:Chirp3_HD_Umbriel,Chirp3_HD_Vindemiatrix,Chirp3_HD_Zubenelgenubi,Standard_C,Standard_D,Wavenet_C,Wavenet_D nl_NL:Chirp3_HD_*,Standard_F,Standard_G,Wavenet_F,Wavenet_G',
      'pa_IN:Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D pl_PL:Chirp3_HD_*,Standard_F,Standard_G,Wavenet_F,Wavenet_G',
      'pt_BR:Chirp3_HD_*,Neural2_A,Neural2_B,Neural2_C,Standard_A,Standard_B,Standard_C,Standard_D,Standard_E,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D,Wavenet_E',
      'pt_PT:Standard_E,Standard_F,Wavenet_E,Wavenet_F ro_RO:Standard_B,Wavenet_B',
      'ru_RU:Chirp3_HD_Aoede,Chirp3_HD_Charon,Chirp3_HD_Fenrir,Chirp3_HD_Kore,Chirp3_HD_Leda,Chirp3_HD_Orus,Chirp3_HD_Puck,Chirp3_HD_Zephyr,Standard_A,Standard_B,Standard_C,Standard_D,Standard_E',
      'ru_RU:Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D,Wavenet_E sk_SK:Standard_B,Wavenet_B sr_RS:Standard_B',
      'sv_SE:Standard_A,Standard_B,Standard_C,Standard_D,Standard_E,Standard_F,Standard_G,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D,Wavenet_E,Wavenet_F,Wavenet_G sw_KE:Chirp3_HD_*',
      'ta_IN:Chirp3_HD_*,Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D te_IN:Chirp3_HD_*,Standard_A,Standard_B,Standard_C,Standard_D',
      'th_TH:Chirp3_HD_*,Neural2_C,Standard_A tr_TR:Chirp3_HD_*,Standard_A,Standard_B,Standard_C,Standard_D,Standard_E,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D,Wavenet_E',
      'uk_UA:Chirp3_HD_Achernar,Chirp3_HD_Achird,Chirp3_HD_Algenib,Chirp3_HD_Algieba,Chirp3_HD_Alnilam,Chirp3_HD_Autonoe,Chirp3_HD_Callirrhoe,Chirp3_HD_Despina,Chirp3_HD_Enceladus,Chirp3_HD_Erinome',
      'uk_UA:Chirp3_HD_Gacrux,Chirp3_HD_Iapetus,Chirp3_HD_Laomedeia,Chirp3_HD_Pulcherrima,Chirp3_HD_Rasalgethi,Chirp3_HD_Sadachbia,Chirp3_HD_Sadaltager,Chirp3_HD_Schedar,Chirp3_HD_Sulafat',
      'uk_UA:Chirp3_HD_Umbriel,Chirp3_HD_Vindemiatrix,Chirp3_HD_Zubenelgenubi,Standard_B,Wavenet_B',
      'ur_IN:Chirp3_HD_Achernar,Chirp3_HD_Achird,Chirp3_HD_Algenib,Chirp3_HD_Algieba,Chirp3_HD_Alnilam,Chirp3_HD_Autonoe,Chirp3_HD_Callirrhoe,Chirp3_HD_Despina,Chirp3_HD_Enceladus,Chirp3_HD_Erinome',
      'ur_IN:Chirp3_HD_Gacrux,Chirp3_HD_Iapetus,Chirp3_HD_Laomedeia,Chirp3_HD_Pulcherrima,Chirp3_HD_Rasalgethi,Chirp3_HD_Sadachbia,Chirp3_HD_Sadaltager,Chirp3_HD_Schedar,Chirp3_HD_Sulafat',
      'ur_IN:Chirp3_HD_Umbriel,Chirp3_HD_Vindemiatrix,Chirp3_HD_Zubenelgenubi,Standard_A,Standard_B,Wavenet_A,Wavenet_B',
      'vi_VN:Chirp3_HD_*,Neural2_A,Neural2_D,Standard_A,Standard_B,Standard_C,Standard_D,Wavenet_A,Wavenet_B,Wavenet_C,Wavenet_D yue_HK:Standard_A,Standard_B,Standard_C,Standard_D',
    ],
    'IBM.Neural', [
      'nl_NL:Merel en_GB:Charlotte,James,Kate en_US:Allison,Emily,Henry,Kevin,Lisa,Michael,Olivia,Allison_Expressive,Emma_Expressive,Lisa_Expressive,Michael_Expressive fr_CA:Louise',
      'fr_FR:Nicolas,Renee de_DE:Birgit,Dieter,Erika it_IT:Francesca ja_JP:Emi ko_KR:Jin pt_BR:Isabela es_ES:Enrique,Laura es_LA:Sofia,DanielaExpressive es_US:Sofia',
      'en_AU:Heidi_Expressive,Jack_Expressive',
    ],
    'Microsoft.Neural', [
      'af_ZA:AdriNeural,WillemNeural am_ET:MekdesNeural,AmehaNeural ar_AE:FatimaNeural,HamdanNeural ar_BH:LailaNeural,AliNeural ar_DZ:AminaNeural,IsmaelNeural ar_EG:SalmaNeural,ShakirNeural',
      'ar_IQ:RanaNeural,BasselNeural ar_JO:SanaNeural,TaimNeural ar_KW:NouraNeural,FahedNeural ar_LB:LaylaNeural,RamiNeural ar_LY:ImanNeural,OmarNeural ar_MA:MounaNeural,JamalNeural',
      'ar_OM:AyshaNeural,AbdullahNeural ar_QA:AmalNeural,MoazNeural ar_SA:ZariyahNeural,HamedNeural ar_SY:AmanyNeural,LaithNeural ar_TN:ReemNeural,HediNeural ar_YE:MaryamNeural,SalehNeural',
      'as_IN:YashicaNeural,PriyomNeural az_AZ:BanuNeural,BabekNeural bg_BG:KalinaNeural,BorislavNeural bn_BD:NabanitaNeural,PradeepNeural bn_IN:TanishaaNeural,BashkarNeural',
      'bs_BA:VesnaNeural,GoranNeural ca_ES:JoanaNeural,EnricNeural,AlbaNeural cs_CZ:VlastaNeural,AntoninNeural cy_GB:NiaNeural,AledNeural da_DK:ChristelNeural,JeppeNeural',
      'de_AT:IngridNeural,JonasNeural de_CH:LeniNeural,JanNeural',
      'de_DE:KatjaNeural,ConradNeural,SeraphinaMultilingualNeural,FlorianMultilingualNeural,AmalaNeural,BerndNeural,ChristophNeural,ElkeNeural,GiselaNeural,KasperNeural,KillianNeural,KlarissaNeural',
      'de_DE:KlausNeural,LouisaNeural,MajaNeural,RalfNeural,TanjaNeural el_GR:AthinaNeural,NestorasNeural',
      'en_AU:NatashaNeural,WilliamNeural,AnnetteNeural,CarlyNeural,DarrenNeural,DuncanNeural,ElsieNeural,FreyaNeural,JoanneNeural,KenNeural,KimNeural,NeilNeural,TimNeural,TinaNeural',
      'en_CA:ClaraNeural,LiamNeural',
      'en_GB:SoniaNeural,RyanNeural,LibbyNeural,AdaMultilingualNeural,OllieMultilingualNeural,AbbiNeural,AlfieNeural,BellaNeural,ElliotNeural,EthanNeural,HollieNeural,MaisieNeural,NoahNeural',
      'en_GB:OliverNeural,OliviaNeural,ThomasNeural en_HK:YanNeural,SamNeural en_IE:EmilyNeural,ConnorNeural',
      'en_IN:AaravNeural,AashiNeural,AartiNeural,ArjunNeural,AnanyaNeural,KavyaNeural,KunalNeural,NeerjaNeural,PrabhatNeural,RehaanNeural en_KE:AsiliaNeural,ChilembaNeural',
      'en_NG:EzinneNeural,AbeoNeural en_NZ:MollyNeural,MitchellNeural en_PH:RosaNeural,JamesNeural en_SG:LunaNeural,WayneNeural en_TZ:ImaniNeural,ElimuNeural',
      'en_US:AvaMultilingualNeural,AndrewMultilingualNeural,EmmaMultilingualNeural,AlloyTurboMultilingualNeural,EchoTurboMultilingualNeural,FableTurboMultilingualNeural,OnyxTurboMultilingualNeural',
      'en_US:NovaTurboMultilingualNeural,ShimmerTurboMultilingualNeural,BrianMultilingualNeural,AvaNeural,AndrewNeural,EmmaNeural,BrianNeural,JennyNeural,GuyNeural,AriaNeural,DavisNeural,JaneNeural',
      'en_US:JasonNeural,KaiNeural,LunaNeural,SaraNeural,TonyNeural,NancyNeural,CoraMultilingualNeural,ChristopherMultilingualNeural,BrandonMultilingualNeural,AmberNeural,AnaNeural,AshleyNeural',
      'en_US:BrandonNeural,ChristopherNeural,CoraNeural,ElizabethNeural,EricNeural,JacobNeural,JennyMultilingualNeural,MichelleNeural,MonicaNeural,RogerNeural,RyanMultilingualNeural,SteffanNeural',
      'en_ZA:LeahNeural,LukeNeural es_AR:ElenaNeural,TomasNeural es_BO:SofiaNeural,MarceloNeural es_CL:CatalinaNeural,LorenzoNeural es_CO:SalomeNeural,GonzaloNeural es_CR:MariaNeural,JuanNeural',
      'es_CU:BelkysNeural,ManuelNeural es_DO:RamonaNeural,EmilioNeural es_EC:AndreaNeural,LuisNeural',
      'es_ES:ElviraNeural,AlvaroNeural,ArabellaMultilingualNeural,IsidoraMultilingualNeural,TristanMultilingualNeural,XimenaMultilingualNeural,AbrilNeural,ArnauNeural,DarioNeural,EliasNeural',
      'es_ES:EstrellaNeural,IreneNeural,LaiaNeural,LiaNeural,NilNeural,SaulNeural,TeoNeural,TrianaNeural,VeraNeural,XimenaNeural es_GQ:TeresaNeural,JavierNeural es_GT:MartaNeural,AndresNeural',
      'es_HN:KarlaNeural,CarlosNeural',
      'es_MX:DaliaNeural,JorgeNeural,BeatrizNeural,CandelaNeural,CarlotaNeural,CecilioNeural,GerardoNeural,LarissaNeural,LibertoNeural,LucianoNeural,MarinaNeural,NuriaNeural,PelayoNeural',
      'es_MX:RenataNeural,YagoNeural es_NI:YolandaNeural,FedericoNeural es_PA:MargaritaNeural,RobertoNeural es_PE:CamilaNeural,AlexNeural es_PR:KarinaNeural,VictorNeural',
      'es_PY:TaniaNeural,MarioNeural es_SV:LorenaNeural,RodrigoNeural es_US:PalomaNeural,AlonsoNeural es_UY:ValentinaNeural,MateoNeural es_VE:PaolaNeural,SebastianNeural et_EE:AnuNeural,KertNeural',
      'eu_ES:AinhoaNeural,AnderNeural fa_IR:DilaraNeural,FaridNeural fi_FI:SelmaNeural,HarriNeural,NooraNeural fil_PH:BlessicaNeural,AngeloNeural fr_BE:CharlineNeural,GerardNeural',
      'fr_CA:SylvieNeural,JeanNeural,AntoineNeural,ThierryNeural fr_CH:ArianeNeural,FabriceNeural',
      'fr_FR:DeniseNeural,HenriNeural,VivienneMultilingualNeural,RemyMultilingualNeural,LucienMultilingualNeural,AlainNeural,BrigitteNeural,CelesteNeural,ClaudeNeural,CoralieNeural,EloiseNeural',
      'fr_FR:JacquelineNeural,JeromeNeural,JosephineNeural,MauriceNeural,YvesNeural,YvetteNeural ga_IE:OrlaNeural,ColmNeural gl_ES:SabelaNeural,RoiNeural gu_IN:DhwaniNeural,NiranjanNeural',
      'he_IL:HilaNeural,AvriNeural hi_IN:AaravNeural,AnanyaNeural,AartiNeural,ArjunNeural,KavyaNeural,KunalNeural,RehaanNeural,SwaraNeural,MadhurNeural hr_HR:GabrijelaNeural,SreckoNeural',
      'hu_HU:NoemiNeural,TamasNeural hy_AM:AnahitNeural,HaykNeural id_ID:GadisNeural,ArdiNeural is_IS:GudrunNeural,GunnarNeural',
      'it_IT:ElsaNeural,IsabellaNeural,DiegoNeural,AlessioMultilingualNeural,IsabellaMultilingualNeural,GiuseppeMultilingualNeural,MarcelloMultilingualNeural,BenignoNeural,CalimeroNeural',
      'it_IT:CataldoNeural,FabiolaNeural,FiammaNeural,GianniNeural,GiuseppeNeural,ImeldaNeural,IrmaNeural,LisandroNeural,PalmiraNeural,PierinaNeural,RinaldoNeural iu_Cans_CA_SiqiniqNeural',
      'iu_Cans_CA_TaqqiqNeural iu_Latn_CA_SiqiniqNeural iu_Latn_CA_TaqqiqNeural sr_Latn_RS_NicholasNeural sr_Latn_RS_SophieNeural',
      'ja_JP:NanamiNeural,KeitaNeural,AoiNeural,DaichiNeural,MayuNeural,NaokiNeural,ShioriNeural jv_ID:SitiNeural,DimasNeural ka_GE:EkaNeural,GiorgiNeural kk_KZ:AigulNeural,DauletNeural',
      'km_KH:SreymomNeural,PisethNeural kn_IN:SapnaNeural,GaganNeural',
      'ko_KR:SunHiNeural,InJoonNeural,HyunsuMultilingualNeural,BongJinNeural,GookMinNeural,HyunsuNeural,JiMinNeural,SeoHyeonNeural,SoonBokNeural,YuJinNeural lo_LA:KeomanyNeural,ChanthavongNeural',
      'lt_LT:OnaNeural,LeonasNeural lv_LV:EveritaNeural,NilsNeural mk_MK:MarijaNeural,AleksandarNeural ml_IN:SobhanaNeural,MidhunNeural mn_MN:YesuiNeural,BataaNeural',
      'mr_IN:AarohiNeural,ManoharNeural ms_MY:YasminNeural,OsmanNeural mt_MT:GraceNeural,JosephNeural my_MM:NilarNeural,ThihaNeural nb_NO:PernilleNeural,FinnNeural,IselinNeural',
      'ne_NP:HemkalaNeural,SagarNeural nl_BE:DenaNeural,ArnaudNeural nl_NL:FennaNeural,MaartenNeural,ColetteNeural or_IN:SubhasiniNeural,SukantNeural pa_IN:OjasNeural,VaaniNeural',
      'pl_PL:AgnieszkaNeural,MarekNeural,ZofiaNeural ps_AF:LatifaNeural,GulNawazNeural',
      'pt_BR:FranciscaNeural,AntonioNeural,MacerioMultilingualNeural,ThalitaMultilingualNeural,BrendaNeural,DonatoNeural,ElzaNeural,FabioNeural,GiovannaNeural,HumbertoNeural,JulioNeural,LeilaNeural',
      'pt_BR:LeticiaNeural,ManuelaNeural,NicolauNeural,ThalitaNeural,ValerioNeural,YaraNeural pt_PT:RaquelNeural,DuarteNeural,FernandaNeural ro_RO:AlinaNeural,EmilNeural',
      'ru_RU:SvetlanaNeural,DmitryNeural,DariyaNeural si_LK:ThiliniNeural,SameeraNeural sk_SK:ViktoriaNeural,LukasNeural sl_SI:PetraNeural,RokNeural so_SO:UbaxNeural,MuuseNeural',
      'sq_AL:AnilaNeural,IlirNeural sr_RS:SophieNeural,NicholasNeural su_ID:TutiNeural,JajangNeural sv_SE:SofieNeural,MattiasNeural,HilleviNeural sw_KE:ZuriNeural,RafikiNeural',
      'sw_TZ:RehemaNeural,DaudiNeural ta_IN:PallaviNeural,ValluvarNeural ta_LK:SaranyaNeural,KumarNeural ta_MY:KaniNeural,SuryaNeural ta_SG:VenbaNeural,AnbuNeural te_IN:ShrutiNeural,MohanNeural',
      'th_TH:PremwadeeNeural,NiwatNeural,AcharaNeural tr_TR:EmelNeural,AhmetNeural uk_UA:PolinaNeural,OstapNeural ur_IN:GulNeural,SalmanNeural ur_PK:UzmaNeural,AsadNeural',
      'uz_UZ:MadinaNeural,SardorNeural vi_VN:HoaiMyNeural,NamMinhNeural wuu_CN:XiaotongNeural,YunzheNeural yue_CN:XiaoMinNeural,YunSongNeural',
      'zh_CN:XiaoxiaoNeural,YunxiNeural,YunjianNeural,XiaoyiNeural,YunyangNeural,XiaochenNeural,XiaochenMultilingualNeural,XiaohanNeural,XiaomengNeural,XiaomoNeural,XiaoqiuNeural,XiaorouNeural',
      'zh_CN:XiaoruiNeural,XiaoshuangNeural,XiaoxiaoDialectsNeural,XiaoxiaoMultilingualNeural,XiaoyanNeural,XiaoyouNeural,XiaoyuMultilingualNeural,XiaozhenNeural,YunfengNeural,YunhaoNeural',
      'zh_CN:YunjieNeural,YunxiaNeural,YunyeNeural,YunyiMultilingualNeural,YunzeNeural,henan_YundengNeural,liaoning_XiaobeiNeural,shaanxi_XiaoniNeural,shandong_YunxiangNeural,sichuan_YunxiNeural',
      'zh_HK:HiuMaanNeural,WanLungNeural,HiuGaaiNeural zh_TW:HsiaoChenNeural,YunJheNeural,HsiaoYuNeural zu_ZA:ThandoNeural,ThembaNeural',
    ],
    'SaluteSpeech', 'ru_RU:natalia,boris,marfa,taras,alexandra,sergey',
    'TBank', 'ru_RU:Anna,Dima',
    'Yandex.Neural', 'de_DE:lea en_US:john kk_KK:amira,madi ru_RU:alena,filipp,ermil,jane,omazh,zahar,marina,madi_ru uz_UZ:nigora',
    'YandexV3', [
      'de_DE:lea en_US:john he_IL:naomi kk_KK:amira,madi,saule,zhanar',
      'ru_RU:alena,filipp,ermil,jane,omazh,zahar,dasha,julia,lera,masha,marina,alexander,kirill,anton,madi_ru,saule_ru,lola_ru,zhanar_ru,yulduz_ru uz_UZ:nigora,lola,yulduz',
    ],
  ];
  // The providers whose namespace also has createBrandVoice(name).
  const BRAND = ['ElevenLabs', 'SaluteSpeech'];
  function addVoices(at, base, spec) {
    const groups = items(spec, ' ');
    for (let g = 0; g < groups.length; g++) {
      const colon = groups[g].indexOf(':');
      if (colon < 0) {
        at[groups[g]] = voice(base + groups[g]);
        continue;
      }
      const locale = groups[g].slice(0, colon) + '_';
      const list = groups[g].slice(colon + 1).split(',');
      for (let k = 0; k < list.length; k++) {
        const item = list[k];
        if (item[item.length - 1] !== '*') {
          at[locale + item] = voice(base + locale + item);
          continue;
        }
        const stem = locale + item.slice(0, -1);
        for (let c = 0; c < CHIRP3.length; c++) at[stem + CHIRP3[c]] = voice(base + stem + CHIRP3[c]);
      }
    }
  }
  function brandVoice(where) {
    return function createBrandVoice(name) {
      if (typeof name !== 'string' || name === '') throw new TypeErr(where + ': name must be a non-empty string');
      return voice(where + "('" + name + "')");
    };
  }
  function voiceProvider(name) {
    const out = {};
    for (let i = 0; i < VOICES.length; i += 2) {
      const path = VOICES[i];
      if (path === name) addVoices(out, 'VoiceList.' + path + '.', VOICES[i + 1]);
      else if (path.slice(0, name.length + 1) === name + '.') {
        const sub = {};
        addVoices(sub, 'VoiceList.' + path + '.', VOICES[i + 1]);
        out[path.slice(name.length + 1)] = freeze(sub);
      }
    }
    if (BRAND.indexOf(name) >= 0) out.createBrandVoice = brandVoice('VoiceList.' + name + '.createBrandVoice');
    return freeze(out);
  }
  function voiceList() {
    const names = [];
    for (let i = 0; i < VOICES.length; i += 2) {
      const name = VOICES[i].split('.')[0];
      if (names.indexOf(name) < 0) names.push(name);
    }
    return lazy(names, voiceProvider);
  }

  // Language: the voice table older scenarios use (call.say(text, Language.US_ENGLISH_FEMALE)),
  // gone from the current typings. Members as Voximplant's reference listed them
  // (https://voximplant.com/docs/references/voxengine/language), taken from the typings
  // https://github.com/ama-team/ts-voxengine/blob/master/src/Language.d.ts, which mirror it.
  const LANGUAGE = [
    'AU_ENGLISH_FEMALE BR_PORTUGUESE_FEMALE BR_PORTUGUESE_MALE CA_ENGLISH_FEMALE CA_FRENCH_FEMALE CA_FRENCH_MALE CH_CHINESE_FEMALE CH_CHINESE_MALE EUR_CATALAN_FEMALE EUR_CZECH_FEMALE',
    'EUR_DANISH_FEMALE EUR_DANISH_MALE EUR_DUTCH_FEMALE EUR_DUTCH_MALE EUR_FINNISH_FEMALE EUR_FRENCH_FEMALE EUR_FRENCH_MALE EUR_GERMAN_FEMALE EUR_GERMAN_MALE EUR_ITALIAN_FEMALE EUR_ITALIAN_MALE',
    'EUR_NORWEGIAN_FEMALE EUR_POLISH_FEMALE EUR_POLISH_MALE EUR_PORTUGUESE_FEMALE EUR_PORTUGUESE_MALE EUR_SPANISH_FEMALE EUR_SPANISH_MALE EUR_TURKISH_FEMALE EUR_TURKISH_MALE HK_CHINESE_FEMALE',
    'HU_HUNGARIAN_FEMALE JP_JAPANESE_FEMALE JP_JAPANESE_MALE KR_KOREAN_FEMALE KR_KOREAN_MALE RU_RUSSIAN_FEMALE RU_RUSSIAN_MALE SW_SWEDISH_FEMALE TW_CHINESE_FEMALE UK_ENGLISH_FEMALE',
    'UK_ENGLISH_MALE US_ENGLISH_FEMALE US_ENGLISH_MALE US_SPANISH_FEMALE US_SPANISH_MALE AU_ENGLISH_MALE',
  ];
  const PREMIUM = [
    'AU_ENGLISH_FEMALE AU_ENGLISH_FEMALE2 AU_ENGLISH_MALE AU_ENGLISH_MALE2 EUR_DUTCH_FEMALE EUR_FRENCH_FEMALE EUR_FRENCH_FEMALE2 EUR_FRENCH_MALE EUR_FRENCH_MALE2 EUR_GERMAN_FEMALE',
    'EUR_GERMAN_FEMALE2 EUR_GERMAN_MALE EUR_GERMAN_MALE2 EUR_ITALIAN_FEMALE GB_ENGLISH_FEMALE GB_ENGLISH_FEMALE2 GB_ENGLISH_MALE GB_ENGLISH_MALE2 JP_JAPANESE_FEMALE RU_RUSSIAN_YA_FEMALE',
    'RU_RUSSIAN_YA_FEMALE2 RU_RUSSIAN_YA_MALE RU_RUSSIAN_YA_MALE2 US_ENGLISH_FEMALE US_ENGLISH_FEMALE2 US_ENGLISH_FEMALE3 US_ENGLISH_MALE US_ENGLISH_MALE2 US_ENGLISH_MALE3 EUR_TURKISH_FEMALE',
    'KR_KOREAN_FEMALE CA_FRENCH_FEMALE CA_FRENCH_FEMALE2 CA_FRENCH_MALE CA_FRENCH_MALE2 EUR_DANISH_FEMALE EUR_SLOVAK_FEMALE EUR_TURKISH_FEMALE2 EUR_TURKISH_FEMALE3 EUR_TURKISH_MALE',
    'EUR_TURKISH_MALE2 SW_SWEDISH_FEMALE RU_RUSSIAN_YA_MALE3',
  ];
  function language() {
    const out = {};
    addVoices(out, 'Language.', LANGUAGE);
    const premium = {};
    addVoices(premium, 'Language.Premium.', PREMIUM);
    out.Premium = freeze(premium);
    return freeze(out);
  }

  // For each member of Modules: its value; `globals`, the namespaces it provides -> their
  // functions (a dotted key is a sub-namespace, [] a namespace of constants only; a key that
  // already exists, like VoxEngine, gets these functions added); `classes`, the classes whose
  // instances those functions return -> their methods; `enums`, paths into enums / nsEnums.
  // From the typings' "require(Modules.X)" notes, and namespaces named like the module.
  // Records of name, globals, classes, enums.
  const MODULES = [
    'ACD',
      'VoxEngine:enqueueACDRequest',
      'ACDRequest:addEventListener,cancel,getStatus,id,removeEventListener',
      'ACDEvents',
    'AI',
      'AI:createDialogflow,detectVoicemail',
      'AI.DialogflowInstance:addEventListener,addMarker,id,removeEventListener,sendMediaTo,sendQuery,setOutputAudioConfig,setPhraseHints,setQueryParameters,stop,stopMediaTo',
      'AI.Events DialogflowLanguage DialogflowModelVariant DialogflowModel DialogflowSsmlVoiceGender',
    'ApplicationStorage',
      'ApplicationStorage:get,keys,put,remove',
      '',
      '',
    'ASR',
      'ASRModelList: ASRProfileList: VoxEngine:createASR',
      'ASR:addEventListener,dictionary,id,language,removeEventListener,stop',
      'ASRDictionary ASREvents ASRLanguage ASRModel TranscriptionProvider',
    'Avatar',
      'VoximplantAvatar:createAvatar,createVoiceAvatar',
      [
        'VoximplantAvatar.Avatar:addEventListener,goToState,handleTimeout,handleUtterance,removeEventListener,start VoximplantAvatar.VoiceAvatar:addEventListener,removeEventListener',
      ],
      'VoximplantAvatar.Events',
    'Conference',
      'VoxEngine:createConference,destroyConference',
      'Conference:add,addEventListener,get,getList,id,removeEventListener,sendMediaTo,stop,stopMediaTo Endpoint:getCall,getDirection,getMode,id,manageEndpoint,setDisplayName',
      'ConferenceDirection ConferenceEvents ConferenceMode',
    'ElevenLabs',
      'ElevenLabs:createAgentsClient,createRealtimeTTSPlayer',
      [
        'ElevenLabs.AgentsClient:addEventListener,clearMediaBuffer,clientToolResult,close,contextualUpdate,conversationInitiationClientData,id,removeEventListener,sendMediaTo,stopMediaTo,userMessage,webSocketId',
        'ElevenLabs.RealtimeTTSPlayer:addEventListener,append,clearBuffer,id,pause,removeEventListener,resume,sendMediaTo,sendText,stop,stopMediaTo',
      ],
      'ElevenLabs.AgentsEvents ElevenLabs.Events',
    'Gemini',
      'Gemini:createLiveAPIClient',
      [
        'Gemini.LiveAPIClient:addEventListener,clearMediaBuffer,close,id,removeEventListener,sendClientContent,sendMediaTo,sendRealtimeInput,sendToolResponse,stopMediaTo,webSocketId',
      ],
      'Gemini.Backend Gemini.Events Gemini.LiveAPIEvents',
    'IVR',
      'IVR:reset',
      'IVRState:enter',
      '',
    'OpenAI',
      'OpenAI:createRealtimeAPIClient OpenAI.Beta:createRealtimeAPIClient',
      [
        'OpenAI.RealtimeAPIClient:addEventListener,clearMediaBuffer,close,conversationItemCreate,conversationItemDelete,conversationItemRetrieve,conversationItemTruncate,id,inputAudioBufferClear,removeEventListener,responseCancel,responseCreate,sendMediaTo,sessionUpdate,stopMediaTo,webSocketId',
        'OpenAI.Beta.RealtimeAPIClient:addEventListener,clearMediaBuffer,close,conversationItemCreate,conversationItemDelete,conversationItemRetrieve,conversationItemTruncate,id,removeEventListener,responseCancel,responseCreate,sendMediaTo,sessionUpdate,stopMediaTo,webSocketId',
      ],
      'OpenAI.Events OpenAI.RealtimeAPIClientType OpenAI.RealtimeAPIEvents OpenAI.Beta.Events OpenAI.Beta.RealtimeAPIEvents',
    'PushService',
      '',
      '',
      '',
    'Recorder',
      'VoxEngine:createRecorder',
      [
        'ConferenceRecorder:addEventListener,getPriority,id,mute,removeEventListener,setConference,setPriority,stop,update Recorder:addEventListener,id,mute,removeEventListener,stop',
      ],
      'RecorderDirection RecorderEvents RecorderLabelFont RecorderLabelPosition RecorderLabelTextAlign RecorderLayout RecorderObjectFit RecorderProfile',
    'SmartQueue',
      '',
      'SmartQueueTask:addEventListener,end,removeEventListener',
      'SmartQueueEvents',
    'StreamingAgent',
      'VoxEngine:createStreamingAgent',
      'StreamingAgent:activeAudioTrack,activeVideoTrack,addEventListener,audioTracks,id,removeEventListener,setActiveTrack,stop,videoTracks',
      'StreamingAgentEvents',
    'Ultravox',
      'Ultravox:createWebSocketAPIClient',
      [
        'Ultravox.WebSocketAPIClient:addEventListener,clearMediaBuffer,clientToolResult,close,id,inputTextMessage,removeEventListener,sendMediaTo,setOutputMedium,stopMediaTo,webSocketId',
      ],
      'Ultravox.Events Ultravox.HTTPEndpoint Ultravox.WebSocketAPIEvents',
    'Cartesia',
      'Cartesia:createRealtimeTTSPlayer',
      'Cartesia.RealtimeTTSPlayer:addEventListener,cancelContextRequest,clearBuffer,generationRequest,id,pause,removeEventListener,resume,sendMediaTo,stop,stopMediaTo',
      '',
    'Yandex',
      'Yandex:createRealtimeAPIClient',
      [
        'Yandex.RealtimeAPIClient:addEventListener,clearMediaBuffer,close,conversationItemCreate,conversationItemDelete,conversationItemRetrieve,conversationItemTruncate,id,removeEventListener,responseCancel,responseCreate,sendMediaTo,sessionUpdate,stopMediaTo,webSocketId',
      ],
      'Yandex.Events Yandex.RealtimeAPIEvents',
    'VoximplantAPI',
      'VoximplantAPI:',
      'VoximplantAPI.Client:',
      '',
  ];
  function pairs(spec) {
    const out = {};
    const list = items(spec, ' ');
    for (let i = 0; i < list.length; i++) {
      const colon = list[i].indexOf(':');
      const names = list[i].slice(colon + 1);
      out[list[i].slice(0, colon)] = freeze(names === '' ? [] : names.split(','));
    }
    return freeze(out);
  }
  function modules(tables) {
    const out = {};
    for (let i = 0; i < MODULES.length; i += 4) {
      out[MODULES[i]] = freeze({
        value: tables.enums.Modules[MODULES[i]],
        globals: pairs(MODULES[i + 1]),
        classes: pairs(MODULES[i + 2]),
        enums: freeze(items(MODULES[i + 3], ' ')),
      });
    }
    return freeze(out);
  }

  // Method names (sorted, inherited ones included) of the classes and namespace the emulation
  // implements, so it can tell which of them it leaves out. Records of name, methods.
  const METHODS = [
    'Call', [
      'addEventListener answer answerDirect callerid clientType customData decline disableBeepDetection displayName enableBeepDetection handleBlindTransfer handleMicStatus handleTones hangup id',
      'incoming notifyBlindTransferFailed notifyBlindTransferSuccess number playProgressTone record reject removeEventListener ring say sendDigits sendInfo sendMediaTo sendMessage startEarlyMedia',
      'startPlayback state stopMediaTo stopPlayback toString transferTo vad',
    ],
    'Conference', 'add addEventListener get getList id removeEventListener sendMediaTo stop stopMediaTo',
    'Endpoint', 'getCall getDirection getMode id manageEndpoint setDisplayName',
    'ASR', 'addEventListener dictionary id language removeEventListener stop',
    'Player', 'addEventListener addMarker id pause removeEventListener resume sendMediaTo stop stopMediaTo',
    'Recorder', 'addEventListener id mute removeEventListener stop',
    'ConferenceRecorder', 'addEventListener getPriority id mute removeEventListener setConference setPriority stop update',
    'SequencePlayer', 'addEventListener addMarker id pause removeEventListener resume sendMediaTo stop stopMediaTo',
    'WebSocket', 'addEventListener clearMediaBuffer close id removeEventListener send sendMediaTo stopMediaTo',
    'VoxEngine', [
      'addEventListener allowWebSocketConnections callConference callPSTN callSIP callUser callUserDirect callWhatsappUser createASR createConference createRecorder createSequencePlayer',
      'createStreamingAgent createTTSPlayer createToneScriptPlayer createURLPlayer createWebSocket customData destroyConference disableStatisticsForIncomingWebsockets',
      'disableTraceForIncomingWebsockets easyProcess enableStatisticsForIncomingWebsockets enableTraceForIncomingWebsockets enqueueACDRequest enqueueTask forwardCallToPSTN forwardCallToSIP',
      'forwardCallToUser forwardCallToUserDirect playSoundAndHangup removeEventListener sendMediaBetween stopMediaBetween terminate',
    ],
  ];
  function methods() {
    const out = {};
    for (let i = 0; i < METHODS.length; i += 2) out[METHODS[i]] = freeze(items(METHODS[i + 1], ' '));
    return freeze(out);
  }

  // Field names of each event's typings interface, by event name ('Call.Connected'). Records
  // of the enum, the fields all its events share, then 'Member:own,fields' (or 'Member').
  const EVENTS = [
    'CallEvents', 'call,name,id', [
      'AudioStarted:headers AudioIdentificationStarted AudioIdentificationResult:audioType,audioSubType,confidence AudioIdentificationStopped AudioIdentificationError',
      'BlindTransferRequested:headers,transferTo Connected:customData,headers Forwarding Disconnected:headers,internalCode,reason,duration,cost,direction Failed:headers,code,reason',
      'InfoReceived:headers,mimeType,body MessageReceived:headers,text MicStatusChange:active OffHold OnHold PlaybackFinished:error PlaybackReady PlaybackStarted:duration PushSent:result',
      'ReInviteAccepted:headers,mimeType,body ReInviteReceived:headers,mimeType,body ReInviteRejected:headers RecordError:error RecordStarted:url RecordStopped:url,cost,duration Ringing:headers',
      'StateChanged:oldState,newState Statistics ToneDetected:ProgressTone,VoicemailTone ToneReceived:tone,type TransferComplete:headers,role TransferFailed:headers,role,code,reason',
      'VideoTrackCreated:url FirstAudioPacketReceived FirstVideoPacketReceived RtpStopped RtpResumed BeepDetectionComplete:frequencies,timeout BeepDetectionError:reason AudioQualityDetected:quality',
    ],
    'PlayerEvents', 'player', 'Created PlaybackReady Started:duration Stopped PlaybackFinished:error Error:error PlaybackMarkerReached:offset PlaybackBuffering',
    'RecorderEvents', 'recorder', 'RecorderError:error Started:url Stopped:cost,duration',
    'ASREvents', 'asr', 'ASRError:error Started CaptureStarted SpeechCaptured Result:text,confidence,resultEndTime,channelTag,languageCode InterimResult:text Stopped:cost,duration',
    'ConferenceEvents', 'conference', [
      'ConferenceError:error,code,endpointId Started Stopped EndpointAdded:mode,direction,endpointId,endpoint EndpointUpdated:mode,direction,endpointId,endpoint',
      'EndpointRemoved:mode,direction,endpointId,endpoint EndpointManaged:mode,direction,endpointId,endpoint',
    ],
  ];
  function events(tables) {
    const out = {};
    for (let r = 0; r < EVENTS.length; r += 3) {
      const e = tables.enums[EVENTS[r]];
      const shared = EVENTS[r + 1];
      const list = items(EVENTS[r + 2], ' ');
      for (let i = 0; i < list.length; i++) {
        const colon = list[i].indexOf(':');
        const own = colon < 0 ? '' : list[i].slice(colon + 1);
        const all = own === '' ? shared : shared + ',' + own;
        out[e[colon < 0 ? list[i] : list[i].slice(0, colon)]] = freeze(all === '' ? [] : all.split(','));
      }
    }
    return freeze(out);
  }

  const build = {
    enums: () => enumTable(ENUMS),
    nsEnums: () => enumTable(NS_ENUMS),
    ASRProfileList: () => pathTable('ASRProfileList', ASR_PROFILES),
    ASRModelList: () => pathTable('ASRModelList', ASR_MODELS),
    VoiceList: voiceList,
    Language: language,
    modules: () => modules(tables),
    methods,
    events: () => events(tables),
  };
  const tables = lazy(['enums', 'nsEnums', 'ASRProfileList', 'ASRModelList', 'VoiceList', 'Language', 'modules', 'methods', 'events'], (name) => build[name]());
  vox.tables = tables;
  vox.voiceName = voiceName;
  // The typings give this as the default of CallSayParameters.voice. A getter, so that reading
  // it builds only the Amazon voices.
  defineProperty(vox, 'defaultVoice', { get: () => tables.VoiceList.Amazon.en_US_Joanna, enumerable: true });
})
