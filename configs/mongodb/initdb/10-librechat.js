// Run once by the mongo entrypoint (mongosh, as the root user) on an empty data volume:
// LibreChat's own database and a user limited to it. The password comes from the environment.
const name = 'LibreChat';
const password = process.env.LIBRECHAT_MONGO_PASSWORD;
if (!password) {
  throw new Error('LIBRECHAT_MONGO_PASSWORD is not set');
}
db.getSiblingDB(name).createUser({
  user: 'librechat',
  pwd: password,
  roles: [{ role: 'readWrite', db: name }],
});
