// A static import: the file cannot run.
import fs from "fs";
test("never runs", async () => {});
