package dev.supaqueue.console.connection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps each profile's password in its own file, encrypted with AES-256-GCM under a key derived from a
 * passphrase the user chooses (PBKDF2 with HMAC-SHA256, a random salt per file, a random IV per write). The
 * profile name is bound in as associated data, so a file copied onto another profile does not open.
 *
 * <p>GCM authenticates the whole file: a wrong passphrase and a changed file both fail the same way, and
 * neither ever yields a wrong password.
 */
public final class EncryptedFileVault implements PasswordVault {

    static final String MAGIC = "supaqueue-password-v1";
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    static final int DEFAULT_ITERATIONS = 600_000;
    static final int MIN_PASSPHRASE_LENGTH = 8;
    private static final int SALT_BYTES = 16;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Path directory;
    private final char[] passphrase;
    private final int iterations;
    private final SecureRandom random = new SecureRandom();

    /**
     * A vault in {@code configDirectory/passwords} opened with {@code passphrase} (copied; clear yours).
     */
    public EncryptedFileVault(Path configDirectory, char[] passphrase) {
        this(configDirectory, passphrase, DEFAULT_ITERATIONS);
    }

    /** With a chosen PBKDF2 iteration count, for tests; the count is stored in each file. */
    EncryptedFileVault(Path configDirectory, char[] passphrase, int iterations) {
        this.directory = Objects.requireNonNull(configDirectory, "configDirectory").resolve("passwords");
        this.passphrase = Objects.requireNonNull(passphrase, "passphrase").clone();
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        this.iterations = iterations;
    }

    @Override
    public PasswordPolicy policy() {
        return PasswordPolicy.ENCRYPTED_FILE;
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    /** The file that holds {@code profileName}'s password (named by a hash, as names may hold any character). */
    Path fileFor(String profileName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(profileName.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return directory.resolve(HexFormat.of().formatHex(digest, 0, 16) + ".pw");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * @throws VaultException if the passphrase is shorter than {@value #MIN_PASSPHRASE_LENGTH} characters or the
     *                        file cannot be written
     */
    @Override
    public void store(String profileName, char[] password) throws VaultException {
        if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
            throw new VaultException("Choose a passphrase of at least " + MIN_PASSPHRASE_LENGTH
                    + " characters to encrypt the password.");
        }
        byte[] salt = randomBytes(SALT_BYTES);
        byte[] iv = randomBytes(IV_BYTES);
        byte[] plain = utf8(password);
        byte[] sealed;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(salt, iterations), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(profileName));
            sealed = cipher.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new VaultException("Cannot encrypt the password: " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        Base64.Encoder b64 = Base64.getEncoder();
        String text = MAGIC + "\n"
                + "iterations=" + iterations + "\n"
                + "salt=" + b64.encodeToString(salt) + "\n"
                + "iv=" + b64.encodeToString(iv) + "\n"
                + "data=" + b64.encodeToString(sealed) + "\n";
        Path file = fileFor(profileName);
        try {
            Files.createDirectories(directory);
            Path temp = Files.createTempFile(directory, ".pw-", ".tmp");
            try {
                ProfileStore.restrictToOwner(temp);
                Files.writeString(temp, text, StandardCharsets.US_ASCII);
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new VaultException("Cannot write the encrypted password file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @throws WrongPassphraseException if the passphrase does not open the file, or the file was changed
     * @throws VaultException           if the file is not a password file or cannot be read
     */
    @Override
    public Optional<char[]> lookup(String profileName) throws VaultException {
        Path file = fileFor(profileName);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new VaultException("Cannot read the encrypted password file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> fields = parse(text, file);
        byte[] plain;
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            int fileIterations = Integer.parseInt(fields.get("iterations"));
            if (fileIterations < 1) {
                throw new IllegalArgumentException("iterations must be positive");
            }
            byte[] salt = b64.decode(fields.get("salt"));
            byte[] iv = b64.decode(fields.get("iv"));
            byte[] sealed = b64.decode(fields.get("data"));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(salt, fileIterations), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(profileName));
            plain = cipher.doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw new WrongPassphraseException("The passphrase does not open the saved password of '" + profileName
                    + "' (wrong passphrase, or the file " + file.getFileName() + " was changed).", e);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new VaultException("The encrypted password file " + file + " is damaged; save the password"
                    + " again.", e);
        }
        try {
            return Optional.of(SecretText.decodeUtf8(plain));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public void clear(String profileName) throws VaultException {
        Path file = fileFor(profileName);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new VaultException("Cannot delete the encrypted password file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> parse(String text, Path file) throws VaultException {
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].strip().equals(MAGIC)) {
            throw new VaultException("The file " + file + " is not a Supaqueue password file; save the password"
                    + " again.");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int equals = lines[i].indexOf('=');
            if (equals > 0) {
                fields.put(lines[i].substring(0, equals).strip(), lines[i].substring(equals + 1).strip());
            }
        }
        for (String required : new String[] {"iterations", "salt", "iv", "data"}) {
            if (!fields.containsKey(required)) {
                throw new VaultException("The encrypted password file " + file + " is damaged (no " + required
                        + "); save the password again.");
            }
        }
        return fields;
    }

    private SecretKeySpec key(byte[] salt, int rounds) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, rounds, 256);
        try {
            byte[] keyBytes = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            try {
                return new SecretKeySpec(keyBytes, "AES");
            } finally {
                Arrays.fill(keyBytes, (byte) 0);
            }
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] associatedData(String profileName) {
        return ("supaqueue-profile:" + profileName.strip().toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return bytes;
    }
}
