/**
 * Passwords seen most often in breach corpora (lower-cased), refused at registration whatever their
 * length. A short list by design: it stops the guesses an attacker tries first, not every weak one.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456', '123456789', '12345678', 'password', 'qwerty123', 'qwerty1234', '1q2w3e4r5t', '12345', '1234567890',
  '1234567', 'qwerty', 'abc123', 'password1', 'password12', 'password123', 'password1234', '111111', '000000',
  'iloveyou', 'qwertyuiop', '123123', 'admin', 'admin123', 'admin12345', 'welcome', 'welcome123', 'welcome1234',
  'letmein', 'letmein123', 'monkey', 'dragon', 'football', 'baseball', 'sunshine', 'princess', 'superman',
  'trustno1', 'starwars', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'zaq12wsx', '1qaz2wsx', '1qaz2wsx3edc',
  'qazwsxedc', 'asdfghjkl', 'zxcvbnm', 'changeme', 'changeme123', 'secret123', 'default', 'master',
  'shadow', 'michael', 'jennifer', 'computer', 'internet', 'whatever', 'freedom', 'hello123', 'lovely',
  'liverpool', 'chelsea', 'arsenal', 'pokemon', 'batman', 'charlie', 'donald', 'loveme', 'hunter2',
  'aa123456', 'a123456', 'qwe123', '987654321', '11111111', '00000000', '12341234', '123321', '654321',
  '666666', '777777', '888888', '999999', '121212', '112233', '123qwe', 'q1w2e3r4', 'q1w2e3r4t5',
  'q1w2e3r4t5y6', 'abcd1234', 'abcdef', 'abcdefg', 'abcdefgh', 'abcdefghij', 'asdf1234', 'asdfasdf',
  'azerty', 'azerty123', 'passwort', 'passwort123', 'motdepasse', 'contraseña', 'senha123', 'parola',
  'shop12345', 'shopping', 'shopping123', 'iloveyou123', 'football123', 'summer2024', 'summer2025', 'winter2025',
]);
