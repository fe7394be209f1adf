package dev.supaqueue.console.connection;

import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.pgmq.PgmqInstallation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * State and commands of the Connections screen: the saved profiles, the form of the selected one with a
 * message per field, pasting a URI, testing, saving, deleting (after a confirmation), unlocking a production
 * profile, and connecting. All file, keyring and database work runs through {@link BackgroundTasks}.
 */
public final class ConnectionsViewModel {

    private final ProfileStore store;
    private final PasswordVaults vaults;
    private final ConnectionTester tester;
    private final BackgroundTasks tasks;
    private final ConnectCheck connectCheck;

    private final ObservableList<ConnectionProfile> profiles = FXCollections.observableArrayList();
    private final ObservableList<ConnectionProfile> profilesView = FXCollections.unmodifiableObservableList(profiles);
    private final ReadOnlyObjectWrapper<ConnectionProfile> selected = new ReadOnlyObjectWrapper<>(this, "selected");
    /** The saved name of the profile in the form; null for a new, unsaved one. */
    private String editingName;
    private Optional<String> lastUsed = Optional.empty();

    // Form fields, bound bidirectionally by the view //
    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final StringProperty host = new SimpleStringProperty(this, "host", "");
    private final StringProperty port = new SimpleStringProperty(this, "port", "");
    private final StringProperty database = new SimpleStringProperty(this, "database", "");
    private final StringProperty user = new SimpleStringProperty(this, "user", "");
    private final StringProperty namespace = new SimpleStringProperty(this, "namespace", "");
    private final ObjectProperty<SslMode> sslMode = new SimpleObjectProperty<>(this, "sslMode", SslMode.PREFER);
    private final BooleanProperty readOnly = new SimpleBooleanProperty(this, "readOnly");
    private final BooleanProperty production = new SimpleBooleanProperty(this, "production");
    private final ObjectProperty<ColourTag> colour = new SimpleObjectProperty<>(this, "colour", ColourTag.GREY);
    private final ObjectProperty<PasswordPolicy> passwordPolicy =
            new SimpleObjectProperty<>(this, "passwordPolicy", PasswordPolicy.ASK_EACH_TIME);
    private final StringProperty password = new SimpleStringProperty(this, "password", "");
    private final StringProperty passphrase = new SimpleStringProperty(this, "passphrase", "");
    private final StringProperty uriText = new SimpleStringProperty(this, "uriText", "");

    // Derived and reported state //
    private final ReadOnlyStringWrapper nameError = new ReadOnlyStringWrapper(this, "nameError", "");
    private final ReadOnlyStringWrapper hostError = new ReadOnlyStringWrapper(this, "hostError", "");
    private final ReadOnlyStringWrapper portError = new ReadOnlyStringWrapper(this, "portError", "");
    private final ReadOnlyStringWrapper databaseError = new ReadOnlyStringWrapper(this, "databaseError", "");
    private final ReadOnlyStringWrapper userError = new ReadOnlyStringWrapper(this, "userError", "");
    private final ReadOnlyStringWrapper namespaceError = new ReadOnlyStringWrapper(this, "namespaceError", "");
    private final ReadOnlyStringWrapper passphraseError = new ReadOnlyStringWrapper(this, "passphraseError", "");
    private final ReadOnlyStringWrapper uriError = new ReadOnlyStringWrapper(this, "uriError", "");
    private final ReadOnlyBooleanWrapper canSave = new ReadOnlyBooleanWrapper(this, "canSave");
    private final ReadOnlyStringWrapper passwordPolicyNote = new ReadOnlyStringWrapper(this, "passwordPolicyNote", "");
    private final ReadOnlyBooleanWrapper formValid = new ReadOnlyBooleanWrapper(this, "formValid");
    private final ReadOnlyBooleanWrapper passphraseNeeded = new ReadOnlyBooleanWrapper(this, "passphraseNeeded");
    private final ReadOnlyStringWrapper uriNotes = new ReadOnlyStringWrapper(this, "uriNotes", "");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyBooleanWrapper testing = new ReadOnlyBooleanWrapper(this, "testing");
    private final ReadOnlyStringWrapper testResult = new ReadOnlyStringWrapper(this, "testResult", "");
    private final ReadOnlyBooleanWrapper testOk = new ReadOnlyBooleanWrapper(this, "testOk");
    private final ReadOnlyBooleanWrapper installOffered = new ReadOnlyBooleanWrapper(this, "installOffered");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyBooleanWrapper messageIsError = new ReadOnlyBooleanWrapper(this, "messageIsError");
    private final ReadOnlyBooleanWrapper deleteConfirmationPending =
            new ReadOnlyBooleanWrapper(this, "deleteConfirmationPending");
    private final ReadOnlyStringWrapper deleteQuestion = new ReadOnlyStringWrapper(this, "deleteQuestion", "");
    private final ReadOnlyBooleanWrapper productionUnlocked = new ReadOnlyBooleanWrapper(this, "productionUnlocked");
    private final ReadOnlyBooleanWrapper opensReadOnly = new ReadOnlyBooleanWrapper(this, "opensReadOnly");
    private final ReadOnlyObjectWrapper<ConnectRequest> connectRequest =
            new ReadOnlyObjectWrapper<>(this, "connectRequest");
    private Consumer<ConnectRequest> onConnect = request -> { };

    /**
     * What Connect asks before it hands a request over: the reason the connection cannot be used, or empty.
     * Runs on a background thread.
     */
    @FunctionalInterface
    public interface ConnectCheck {
        Optional<String> problem(ConnectionProfile profile, char[] password) throws Exception;
    }

    /** Connect first checks the connection with {@code tester}, so that a bad one fails here in plain words. */
    public ConnectionsViewModel(ProfileStore store, PasswordVaults vaults, ConnectionTester tester,
                                BackgroundTasks tasks) {
        this(store, vaults, tester, tasks, Objects.requireNonNull(tester, "tester")::connectProblem);
    }

    public ConnectionsViewModel(ProfileStore store, PasswordVaults vaults, ConnectionTester tester,
                                BackgroundTasks tasks, ConnectCheck connectCheck) {
        this.connectCheck = Objects.requireNonNull(connectCheck, "connectCheck");
        this.store = Objects.requireNonNull(store, "store");
        this.vaults = Objects.requireNonNull(vaults, "vaults");
        this.tester = Objects.requireNonNull(tester, "tester");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        Observable[] formFields = {name, host, port, database, user, namespace, passwordPolicy, password, passphrase};
        for (Observable field : formFields) {
            field.addListener(changed -> validate());
        }
        uriText.addListener(changed -> uriError.set(""));
        passwordPolicy.addListener(changed -> passphraseNeeded.set(passwordPolicy.get() == PasswordPolicy.ENCRYPTED_FILE));
        Observable[] lockInputs = {readOnly, production, productionUnlocked};
        for (Observable input : lockInputs) {
            input.addListener(changed -> updateReadOnly());
        }
        production.addListener((obs, was, now) -> {
            if (!now) {
                productionUnlocked.set(false);
            }
        });
        newProfile();
    }

    // Commands //

    /** Reads the saved profiles (or, on first start, the offered Local and Supabase CLI ones). */
    public void load() {
        busy.set(true);
        tasks.run("Load connection profiles", store::load, stored -> {
            busy.set(false);
            profiles.setAll(stored.profiles());
            lastUsed = stored.lastUsed();
            ConnectionProfile first = stored.lastUsed().flatMap(stored::find)
                    .orElse(stored.profiles().isEmpty() ? null : stored.profiles().getFirst());
            if (first != null) {
                select(first);
            }
            if (stored.firstStart()) {
                showInfo("Two profiles are offered to start with: the PostgreSQL on this machine, and the Supabase"
                        + " CLI's database (port 54322). Save them to keep them.");
            }
        }, failure -> {
            busy.set(false);
            showError(failure.getMessage());
        });
    }

    /** Puts {@code profile} into the form; a production profile starts locked again. */
    public void select(ConnectionProfile profile) {
        // Re-selecting the profile already in the form keeps the user's edits (and the list's refresh does it).
        if (profile == null || profile.equals(selected.get())) {
            return;
        }
        selected.set(profile);
        editingName = profiles.stream().anyMatch(p -> p.name().equals(profile.name())) ? profile.name() : null;
        fill(profile);
        password.set("");
        passphrase.set("");
        productionUnlocked.set(false);
        clearTestResult();
        uriNotes.set("");
        deleteConfirmationPending.set(false);
    }

    /** An unsaved profile for this machine's PostgreSQL, named so that it does not clash. */
    public void newProfile() {
        selected.set(null);
        editingName = null;
        String base = "New connection";
        String candidate = base;
        for (int i = 2; nameTaken(candidate, null); i++) {
            candidate = base + " " + i;
        }
        fill(new ConnectionProfile(candidate, "127.0.0.1", 5432, "postgres", "postgres", "", SslMode.PREFER,
                false, false, ColourTag.GREY, PasswordPolicy.ASK_EACH_TIME));
        password.set("");
        passphrase.set("");
        productionUnlocked.set(false);
        clearTestResult();
        uriNotes.set("");
    }

    /**
     * Fills the form from the pasted URI text. A password in the URI goes into the password field for this
     * connect only; it is saved nowhere unless the user picks a vault and saves.
     */
    public void pasteUri() {
        PastedUri pasted;
        try {
            pasted = PastedUri.parse(uriText.get(), draft());
        } catch (IllegalArgumentException e) {
            uriNotes.set("");
            // Beside the field; the text stays so it can be corrected (the parser never repeats a password).
            uriError.set("Cannot use this URI: " + e.getMessage());
            return;
        }
        fill(pasted.profile());
        pasted.password().ifPresent(chars -> password.set(new String(chars)));
        pasted.clearPassword();
        // The URI may hold a password: do not leave it in the paste field.
        uriText.set("");
        uriError.set("");
        uriNotes.set(String.join("\n", pasted.notes()));
        clearTestResult();
        showInfo("The form was filled from the URI; check it, then test or save.");
    }

    /** Tests the profile in the form; the result panel shows what was found. */
    public void testConnection() {
        if (testing.get() || !requireValidForm()) {
            return;
        }
        ConnectionProfile profile = draft();
        PasswordSource source = passwordSource(profile);
        clearTestResult();
        testing.set(true);
        tasks.run("Test connection " + profile.name(), () -> {
            char[] secret = source.resolve();
            try {
                return tester.test(profile, secret);
            } finally {
                clear(secret);
            }
        }, report -> {
            testing.set(false);
            testResult.set(String.join("\n", report.lines()));
            testOk.set(report.ok());
            installOffered.set(report.devSchemaOffered());
        }, failure -> {
            testing.set(false);
            testOk.set(false);
            testResult.set(describe(failure, profile));
        });
    }

    /** Installs the development schema into a local database without pgmq (only after a test offered it). */
    public void installDevSchema() {
        ConnectionProfile profile = draft();
        if (!installOffered.get() || !profile.isLocalHost()) {
            showError("The development schema is only offered for a database on this machine that has no pgmq.");
            return;
        }
        PasswordSource source = passwordSource(profile);
        busy.set(true);
        tasks.run("Install development schema", () -> {
            char[] secret = source.resolve();
            try {
                return tester.installDevSchema(profile, secret);
            } finally {
                clear(secret);
            }
        }, (PgmqInstallation installed) -> {
            busy.set(false);
            installOffered.set(false);
            showInfo("Installed: " + installed.describe() + ". Test the connection again to see it.");
        }, failure -> {
            busy.set(false);
            showError(describe(failure, profile));
        });
    }

    /** Saves the form as a profile (and its password in the chosen vault, if one was typed). */
    public void save() {
        if (!requireValidForm()) {
            return;
        }
        if (!passphraseError.get().isEmpty()) {
            showError(passphraseError.get());
            return;
        }
        ConnectionProfile profile = draft();
        List<ConnectionProfile> updated = new ArrayList<>(profiles);
        int index = indexOf(editingName);
        String previousName = editingName;
        if (index >= 0) {
            updated.set(index, profile);
        } else {
            updated.add(profile);
        }
        char[] typed = password.get().toCharArray();
        PasswordVault vault = vaults.forPolicy(profile.passwordPolicy(), passphrase.get().toCharArray());
        PasswordVault encryptedFile = vaults.forPolicy(PasswordPolicy.ENCRYPTED_FILE, new char[0]);
        // A renamed profile stays the last used one under its new name.
        Optional<String> remembered = lastUsed.map(n -> n.equals(previousName) ? profile.name() : n);
        boolean renamed = previousName != null && !ConnectionProfile.sameName(previousName, profile.name());
        busy.set(true);
        tasks.run("Save profile " + profile.name(), () -> {
            try {
                store.save(updated, remembered);
                if (renamed) {
                    encryptedFile.clear(previousName);
                }
                if (profile.passwordPolicy() == PasswordPolicy.ASK_EACH_TIME) {
                    // Switching back to "ask each time" forgets an encrypted copy.
                    encryptedFile.clear(profile.name());
                } else if (typed.length > 0) {
                    vault.store(profile.name(), typed);
                    return true;
                }
                return false;
            } finally {
                clear(typed);
            }
        }, passwordKept -> {
            busy.set(false);
            // Selection first: the list's refresh then re-selects the same profile, which is a no-op.
            editingName = profile.name();
            selected.set(profile);
            profiles.setAll(updated);
            lastUsed = remembered;
            showInfo("Saved '" + profile.name() + "'" + (passwordKept
                    ? "; its password is kept in the " + vaultWords(profile.passwordPolicy()) + "." : "."));
        }, failure -> {
            busy.set(false);
            showError("Could not save '" + profile.name() + "': " + failure.getMessage());
        });
    }

    /** Asks the user to confirm deleting the selected profile. */
    public void requestDelete() {
        if (editingName == null) {
            showError("This profile is not saved, so there is nothing to delete.");
            return;
        }
        deleteQuestion.set("Delete the profile '" + editingName + "' and any password kept for it?");
        deleteConfirmationPending.set(true);
    }

    public void cancelDelete() {
        deleteConfirmationPending.set(false);
    }

    /** Deletes the profile the user confirmed, with its kept password. */
    public void confirmDelete() {
        if (!deleteConfirmationPending.get() || editingName == null) {
            return;
        }
        deleteConfirmationPending.set(false);
        String doomed = editingName;
        int index = indexOf(doomed);
        ConnectionProfile profile = profiles.get(index);
        List<ConnectionProfile> remaining = new ArrayList<>(profiles);
        remaining.remove(index);
        Optional<String> remembered = lastUsed.filter(n -> !ConnectionProfile.sameName(n, doomed));
        PasswordVault encryptedFile = vaults.forPolicy(PasswordPolicy.ENCRYPTED_FILE, new char[0]);
        PasswordVault keyring = profile.passwordPolicy() == PasswordPolicy.OS_KEYRING
                && vaults.keyringAvailability().available() ? vaults.forPolicy(PasswordPolicy.OS_KEYRING, null) : null;
        busy.set(true);
        tasks.run("Delete profile " + doomed, () -> {
            store.save(remaining, remembered);
            encryptedFile.clear(doomed);
            if (keyring != null) {
                keyring.clear(doomed);
            }
            return remaining;
        }, saved -> {
            busy.set(false);
            profiles.setAll(saved);
            lastUsed = remembered;
            if (saved.isEmpty()) {
                newProfile();
            } else {
                select(saved.getFirst());
            }
            showInfo("Deleted '" + doomed + "'.");
        }, failure -> {
            busy.set(false);
            showError("Could not delete '" + doomed + "': " + failure.getMessage());
        });
    }

    /** Lets this session change data in a production profile (it opens read-only otherwise). */
    public void unlockProduction() {
        if (production.get()) {
            productionUnlocked.set(true);
        }
    }

    public void lockProduction() {
        productionUnlocked.set(false);
    }

    /**
     * Connects with the profile in the form: the password comes from the password field, or from the profile's
     * vault; the request goes to the {@link #setOnConnect callback} and {@link #connectRequestProperty()}.
     */
    public void connect() {
        if (busy.get() || !requireValidForm()) {
            return;
        }
        ConnectionProfile profile = draft();
        PasswordSource source = passwordSource(profile);
        boolean openReadOnly = opensReadOnly.get();
        boolean saved = editingName != null && indexOf(profile.name()) >= 0;
        busy.set(true);
        tasks.run("Connect to " + profile.name(), () -> {
            char[] secret = source.resolve();
            try {
                Optional<String> problem = connectCheck.problem(profile, secret);
                if (problem.isPresent()) {
                    throw new NotConnected("Not connected. " + problem.get());
                }
                ConnectRequest request = new ConnectRequest(profile, profile.toBrokerSettings(secret), openReadOnly);
                if (saved) {
                    store.save(List.copyOf(profiles), Optional.of(profile.name()));
                }
                return request;
            } finally {
                clear(secret);
            }
        }, request -> {
            busy.set(false);
            if (saved) {
                lastUsed = Optional.of(profile.name());
            }
            // "Ask each time" means the typed password does not stay in the form.
            password.set("");
            connectRequest.set(request);
            onConnect.accept(request);
        }, failure -> {
            busy.set(false);
            showError(describe(failure, profile));
        });
    }

    public void dismissMessage() {
        message.set("");
        messageIsError.set(false);
    }

    /** Called with each connect request (the main window opens the connection). */
    public void setOnConnect(Consumer<ConnectRequest> onConnect) {
        this.onConnect = Objects.requireNonNull(onConnect, "onConnect");
    }

    // Helpers //

    /** The profile as the form describes it now (port 0 when the port text is not a number). */
    public ConnectionProfile draft() {
        return new ConnectionProfile(name.get(), host.get(), parsePort(port.get()), database.get(), user.get(),
                namespace.get(), sslMode.get(), readOnly.get(), production.get(), colour.get(), passwordPolicy.get());
    }

    private void fill(ConnectionProfile profile) {
        name.set(profile.name());
        host.set(profile.host());
        port.set(Integer.toString(profile.port()));
        database.set(profile.database());
        user.set(profile.user());
        namespace.set(profile.namespace());
        sslMode.set(profile.sslMode());
        readOnly.set(profile.readOnly());
        production.set(profile.production());
        colour.set(profile.colour());
        passwordPolicy.set(profile.passwordPolicy());
        validate();
    }

    private void validate() {
        ConnectionProfile draft = draft();
        List<String> others = profiles.stream().map(ConnectionProfile::name)
                .filter(n -> editingName == null || !n.equals(editingName)).toList();
        Map<ProfileField, String> problems = draft.problems(others);
        String portText = port.get() == null ? "" : port.get().strip();
        if (portText.isEmpty()) {
            problems.put(ProfileField.PORT, "Enter the port (PostgreSQL: 5432, Supabase pooler: 6543).");
        } else if (!portText.matches("\\d{1,9}")) {
            problems.put(ProfileField.PORT, "The port must be a whole number between 1 and 65535.");
        }
        nameError.set(problems.getOrDefault(ProfileField.NAME, ""));
        hostError.set(problems.getOrDefault(ProfileField.HOST, ""));
        portError.set(problems.getOrDefault(ProfileField.PORT, ""));
        databaseError.set(problems.getOrDefault(ProfileField.DATABASE, ""));
        userError.set(problems.getOrDefault(ProfileField.USER, ""));
        namespaceError.set(problems.getOrDefault(ProfileField.NAMESPACE, ""));
        String policyNote = "";
        boolean policyUsable = true;
        if (passwordPolicy.get() == PasswordPolicy.OS_KEYRING) {
            PasswordVault.Availability keyring = vaults.keyringAvailability();
            policyUsable = keyring.available();
            policyNote = keyring.available() ? "The password is kept in the OS keyring." : keyring.reason();
        } else if (passwordPolicy.get() == PasswordPolicy.ENCRYPTED_FILE) {
            policyNote = "The password is kept in a file encrypted with your passphrase (at least "
                    + EncryptedFileVault.MIN_PASSPHRASE_LENGTH + " characters).";
        }
        passwordPolicyNote.set(policyNote);
        String passphraseProblem = "";
        int passphraseLength = passphrase.get() == null ? 0 : passphrase.get().length();
        boolean passwordTyped = password.get() != null && !password.get().isEmpty();
        if (passwordPolicy.get() == PasswordPolicy.ENCRYPTED_FILE && passphraseLength > 0
                && passphraseLength < EncryptedFileVault.MIN_PASSPHRASE_LENGTH) {
            passphraseProblem = "The passphrase must have at least " + EncryptedFileVault.MIN_PASSPHRASE_LENGTH
                    + " characters (it has " + passphraseLength + ").";
        } else if (passwordPolicy.get() == PasswordPolicy.ENCRYPTED_FILE && passwordTyped && passphraseLength == 0) {
            passphraseProblem = "Type a passphrase of at least " + EncryptedFileVault.MIN_PASSPHRASE_LENGTH
                    + " characters to keep this password in the encrypted file.";
        }
        passphraseError.set(passphraseProblem);
        // A short passphrase can neither encrypt nor open the file; a missing one only stops saving the password.
        boolean passphraseTooShort = passphraseLength > 0 && !passphraseProblem.isEmpty();
        formValid.set(problems.isEmpty() && policyUsable && !passphraseTooShort);
        canSave.set(formValid.get() && passphraseProblem.isEmpty());
    }

    private boolean requireValidForm() {
        validate();
        if (!formValid.get()) {
            showError(passwordPolicyNote.get().isEmpty() || passwordPolicy.get() != PasswordPolicy.OS_KEYRING
                    ? "Fix the fields marked in red first." : passwordPolicyNote.get());
            return false;
        }
        return true;
    }

    private void updateReadOnly() {
        opensReadOnly.set(readOnly.get() || (production.get() && !productionUnlocked.get()));
    }

    private static int parsePort(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (!trimmed.matches("\\d{1,9}")) {
            return 0;
        }
        return Integer.parseInt(trimmed);
    }

    private int indexOf(String profileName) {
        if (profileName == null) {
            return -1;
        }
        for (int i = 0; i < profiles.size(); i++) {
            if (profiles.get(i).name().equals(profileName)) {
                return i;
            }
        }
        return -1;
    }

    private boolean nameTaken(String candidate, String except) {
        return profiles.stream().anyMatch(p -> ConnectionProfile.sameName(p.name(), candidate)
                && (except == null || !p.name().equals(except)));
    }

    /**
     * Where the password for a test or connect comes from, captured on the FX thread and resolved in the
     * background (a vault may decrypt a file or run the keyring command).
     */
    private PasswordSource passwordSource(ConnectionProfile profile) {
        char[] typed = password.get().toCharArray();
        if (typed.length > 0 || profile.passwordPolicy() == PasswordPolicy.ASK_EACH_TIME) {
            return () -> typed.length == 0 ? null : typed.clone();
        }
        char[] key = passphrase.get().toCharArray();
        PasswordVault vault = vaults.forPolicy(profile.passwordPolicy(), key);
        boolean noPassphrase = key.length == 0;
        Arrays.fill(key, '\0');
        boolean savedProfile = editingName != null;
        return () -> {
            if (!savedProfile) {
                return null;
            }
            if (profile.passwordPolicy() == PasswordPolicy.ENCRYPTED_FILE && noPassphrase) {
                throw new PasswordVault.VaultException("Type the passphrase that opens the saved password of '"
                        + profile.name() + "', or type the password itself.");
            }
            return vault.lookup(profile.name()).orElse(null);
        };
    }

    @FunctionalInterface
    private interface PasswordSource {
        char[] resolve() throws Exception;
    }

    /** Connect found the connection unusable; the message is already in plain words. */
    private static final class NotConnected extends Exception {
        NotConnected(String message) {
            super(message, null, false, false);
        }
    }

    private static String describe(Throwable failure, ConnectionProfile profile) {
        if (failure instanceof NotConnected || failure instanceof PasswordVault.VaultException || failure instanceof IllegalArgumentException
                || failure instanceof IllegalStateException) {
            return failure.getMessage();
        }
        return ConnectionProblems.describe(failure, profile);
    }

    private static String vaultWords(PasswordPolicy policy) {
        return policy == PasswordPolicy.OS_KEYRING ? "OS keyring" : "encrypted file";
    }

    private static void clear(char[] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }

    private void clearTestResult() {
        testResult.set("");
        testOk.set(false);
        installOffered.set(false);
    }

    private void showInfo(String text) {
        message.set(text);
        messageIsError.set(false);
    }

    private void showError(String text) {
        message.set(text);
        messageIsError.set(true);
    }

    // Properties //

    public ObservableList<ConnectionProfile> profiles() {
        return profilesView;
    }

    public ReadOnlyObjectProperty<ConnectionProfile> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty hostProperty() {
        return host;
    }

    /** The port as typed (text, so that "54x2" can be shown and refused). */
    public StringProperty portProperty() {
        return port;
    }

    public StringProperty databaseProperty() {
        return database;
    }

    public StringProperty userProperty() {
        return user;
    }

    public StringProperty namespaceProperty() {
        return namespace;
    }

    public ObjectProperty<SslMode> sslModeProperty() {
        return sslMode;
    }

    public BooleanProperty readOnlyProperty() {
        return readOnly;
    }

    public BooleanProperty productionProperty() {
        return production;
    }

    public ObjectProperty<ColourTag> colourProperty() {
        return colour;
    }

    public ObjectProperty<PasswordPolicy> passwordPolicyProperty() {
        return passwordPolicy;
    }

    /** The password for this connect (never saved in plain text). */
    public StringProperty passwordProperty() {
        return password;
    }

    /** The passphrase of the encrypted password file. */
    public StringProperty passphraseProperty() {
        return passphrase;
    }

    /** The text in the "Paste URI" field. */
    public StringProperty uriTextProperty() {
        return uriText;
    }

    public ReadOnlyStringProperty nameErrorProperty() {
        return nameError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty hostErrorProperty() {
        return hostError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty portErrorProperty() {
        return portError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty databaseErrorProperty() {
        return databaseError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty userErrorProperty() {
        return userError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty namespaceErrorProperty() {
        return namespaceError.getReadOnlyProperty();
    }

    /** What is wrong with the passphrase of the encrypted password file; empty when nothing is. */
    public ReadOnlyStringProperty passphraseErrorProperty() {
        return passphraseError.getReadOnlyProperty();
    }

    /** Why the pasted URI could not be used, shown beside the URI field; empty when it could. */
    public ReadOnlyStringProperty uriErrorProperty() {
        return uriError.getReadOnlyProperty();
    }

    /** Whether Save may run: a valid form, and a passphrase wherever a password goes to the encrypted file. */
    public ReadOnlyBooleanProperty canSaveProperty() {
        return canSave.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty passwordPolicyNoteProperty() {
        return passwordPolicyNote.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty formValidProperty() {
        return formValid.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty passphraseNeededProperty() {
        return passphraseNeeded.getReadOnlyProperty();
    }

    /** What the last pasted URI means (pooler mode, ignored parameters, where its password goes). */
    public ReadOnlyStringProperty uriNotesProperty() {
        return uriNotes.getReadOnlyProperty();
    }

    /** Loading, saving, deleting, installing or connecting is under way. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty testingProperty() {
        return testing.getReadOnlyProperty();
    }

    /** The test's findings, one sentence per line. */
    public ReadOnlyStringProperty testResultProperty() {
        return testResult.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty testOkProperty() {
        return testOk.getReadOnlyProperty();
    }

    /** Whether the development schema may be installed (local database without pgmq, after a test). */
    public ReadOnlyBooleanProperty installOfferedProperty() {
        return installOffered.getReadOnlyProperty();
    }

    /** The latest info or error, until dismissed. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty messageIsErrorProperty() {
        return messageIsError.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty deleteConfirmationPendingProperty() {
        return deleteConfirmationPending.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty deleteQuestionProperty() {
        return deleteQuestion.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty productionUnlockedProperty() {
        return productionUnlocked.getReadOnlyProperty();
    }

    /** Whether connecting now would open read-only (read-only profile, or a locked production one). */
    public ReadOnlyBooleanProperty opensReadOnlyProperty() {
        return opensReadOnly.getReadOnlyProperty();
    }

    /** The latest connect request (also given to the callback). */
    public ReadOnlyObjectProperty<ConnectRequest> connectRequestProperty() {
        return connectRequest.getReadOnlyProperty();
    }
}
