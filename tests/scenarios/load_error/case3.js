Logger.write('never loaded');
