Logger.write('second scenario throws');
undefinedFunction();
