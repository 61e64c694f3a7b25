// A syntax error on line 3.
test("x", async () => {
  expect(1).toBe(;
});
