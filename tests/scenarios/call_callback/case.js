// A callback: custom data names two numbers; call the agent, then the client, and bridge them.
VoxEngine.addEventListener(AppEvents.Started, () => {
  const data = JSON.parse(VoxEngine.customData());
  const agent = VoxEngine.callPSTN(data.agent, '+18005550100');
  agent.addEventListener(CallEvents.Connected, () => {
    agent.say('Connecting you to your client.');
    const client = VoxEngine.callPSTN(data.client, '+18005550100');
    client.addEventListener(CallEvents.Connected, () => {
      VoxEngine.sendMediaBetween(agent, client);
      Logger.write('bridged ' + agent.number() + ' and ' + client.number());
    });
    client.addEventListener(CallEvents.Disconnected, () => { agent.hangup(); VoxEngine.terminate(); });
  });
  agent.addEventListener(CallEvents.Failed, (e) => { Logger.write('agent failed ' + e.code); VoxEngine.terminate(); });
});
