// Runs first on the inbound rule: says which scenario answered.
var answeredBy = ['greeting v1'];
