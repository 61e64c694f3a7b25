// The typings' VoxEngine functions that voxrun does not emulate exist and throw, naming
// themselves.
const names = [
  'allowWebSocketConnections', 'callWhatsappUser', 'createStreamingAgent', 'createWebSocket',
  'disableStatisticsForIncomingWebsockets', 'disableTraceForIncomingWebsockets',
  'enableStatisticsForIncomingWebsockets', 'enableTraceForIncomingWebsockets',
  'enqueueACDRequest', 'enqueueTask',
];
VoxEngine.addEventListener(AppEvents.HttpRequest, () => names.map((n) => {
  try {
    VoxEngine[n]();
    return n + ': returned';
  } catch (e) {
    return typeof VoxEngine[n] + ' ' + e.message;
  }
}));
