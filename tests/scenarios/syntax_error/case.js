Logger.write('never runs');
let x = ;
