using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>The destinations half of the management API: permissions, validation, protected secrets, the store.</summary>
internal sealed class DestinationManager(
    IExportStore store,
    IExportAuthorizationPolicy policy,
    DestinationCatalog catalog,
    DestinationSecrets secrets,
    IEnumerable<IDestinationProvider> providers,
    IEnumerable<IExportFormat> formats,
    IOptionsMonitor<ExportsOptions> options) : IDestinationManager
{
    /// <summary>The longest destination name: it appears in manifest names and messages.</summary>
    private const int MaxNameLength = 100;

    public async Task<IReadOnlyList<ManagedDestination>> ListAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        await RequireAsync(caller, ExportPermission.ViewDestinations, null, "list destinations", cancellationToken).ConfigureAwait(false);
        var all = options.CurrentValue.Destinations.Values.Select(d => (Definition: d, Stored: (StoredDestination?)null)).ToList();
        await foreach (var stored in store.ListDestinationsAsync(cancellationToken).ConfigureAwait(false))
        {
            all.Add((stored.Definition, stored));
        }

        var visible = new List<ManagedDestination>();
        foreach (var (definition, stored) in all.OrderBy(d => d.Definition.Name, StringComparer.OrdinalIgnoreCase))
        {
            if (await policy.IsAllowedAsync(caller, ExportPermission.ViewDestinations, definition, cancellationToken).ConfigureAwait(false))
            {
                visible.Add(await ToManagedAsync(caller, definition, stored, cancellationToken).ConfigureAwait(false));
            }
        }

        return visible;
    }

    public async Task<ManagedDestination?> GetAsync(ClaimsPrincipal caller, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var (definition, stored) = await FindAsync(name, cancellationToken).ConfigureAwait(false);
        if (definition is null)
        {
            return null;
        }

        // One the caller may not see is answered as one that does not exist, so names cannot be probed.
        return await policy.IsAllowedAsync(caller, ExportPermission.ViewDestinations, definition, cancellationToken).ConfigureAwait(false)
            ? await ToManagedAsync(caller, definition, stored, cancellationToken).ConfigureAwait(false)
            : null;
    }

    public async Task<ManagedDestination> CreateAsync(ClaimsPrincipal caller, DestinationDefinition destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var input = Normalized(destination);
        await RequireAsync(caller, ExportPermission.ManageDestinations, input, $"create destination '{input.Name}'", cancellationToken).ConfigureAwait(false);
        Validate(input, NameProblems(input.Name));
        if (options.CurrentValue.Destinations.ContainsKey(input.Name))
        {
            throw new ExportConcurrencyException($"A destination named '{input.Name}' is declared in configuration.");
        }

        var stored = await store.CreateDestinationAsync(secrets.Protect(input), cancellationToken).ConfigureAwait(false);
        return await ToManagedAsync(caller, stored.Definition, stored, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ManagedDestination> UpdateAsync(ClaimsPrincipal caller, DestinationDefinition destination, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentException.ThrowIfNullOrEmpty(etag);
        var input = Normalized(destination);
        var current = await RequireStoredAsync(caller, input.Name, "update", cancellationToken).ConfigureAwait(false);
        await RequireAsync(caller, ExportPermission.ManageDestinations, current.Definition, $"update destination '{input.Name}'", cancellationToken).ConfigureAwait(false);
        // The name is the key: it keeps the stored spelling.
        input.Name = current.Definition.Name;
        var clear = secrets.Merge(input, string.Equals(input.Type, current.Definition.Type, StringComparison.OrdinalIgnoreCase) ? current.Definition : null);
        Validate(clear, []);
        var stored = await store.UpdateDestinationAsync(secrets.Protect(clear), etag, cancellationToken).ConfigureAwait(false);
        return await ToManagedAsync(caller, stored.Definition, stored, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ManagedDestination> ShareAsync(ClaimsPrincipal caller, string name, string contributor, DestinationAccess? access, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        if (string.IsNullOrWhiteSpace(contributor))
        {
            throw new ExportValidationException($"Destination '{name}': Contributor is required.");
        }

        if (access is { } asked && !Enum.IsDefined(asked))
        {
            throw new ExportValidationException($"Destination '{name}': Access '{asked}' is not one of {string.Join(", ", Enum.GetNames<DestinationAccess>())}.");
        }

        var current = await RequireStoredAsync(caller, name, "share", cancellationToken).ConfigureAwait(false);
        await RequireAsync(caller, ExportPermission.ManageDestinations, current.Definition, $"share destination '{current.Definition.Name}'", cancellationToken).ConfigureAwait(false);
        var changed = current.Definition.Clone();
        if (access is { } granted)
        {
            changed.SharedWith[contributor.Trim()] = granted;
        }
        else if (!changed.SharedWith.Remove(contributor.Trim()))
        {
            // Not shared with them: nothing to change, and a new ETag would make other editors' copies stale for nothing.
            return current.ETag == etag
                ? await ToManagedAsync(caller, current.Definition, current, cancellationToken).ConfigureAwait(false)
                : throw new ExportConcurrencyException($"Cannot stop sharing destination '{current.Definition.Name}': it was changed by someone else (ETag '{etag}' is stale). Nothing was changed.");
        }

        // The stored secrets stay as they are (already protected).
        var stored = await store.UpdateDestinationAsync(changed, etag, cancellationToken).ConfigureAwait(false);
        return await ToManagedAsync(caller, stored.Definition, stored, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(ClaimsPrincipal caller, string name, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        var current = await RequireStoredAsync(caller, name, "delete", cancellationToken).ConfigureAwait(false);
        await RequireAsync(caller, ExportPermission.ManageDestinations, current.Definition, $"delete destination '{current.Definition.Name}'", cancellationToken).ConfigureAwait(false);
        var users = await UsersAsync(current.Definition.Name, cancellationToken).ConfigureAwait(false);
        if (users.Count > 0)
        {
            throw new ExportValidationException(
                $"Destination '{current.Definition.Name}' cannot be deleted: {(users.Count == 1 ? "export" : "exports")} {string.Join(", ", users.Select(u => $"'{u}'"))} {(users.Count == 1 ? "uses" : "use")} it. Delete them or move them to another destination first.");
        }

        await store.DeleteDestinationAsync(current.Definition.Name, etag, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ConnectionTestResult> TestAsync(ClaimsPrincipal caller, DestinationDefinition destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var input = Normalized(destination);
        var stored = string.IsNullOrEmpty(input.Name) ? null : await store.GetDestinationAsync(input.Name, cancellationToken).ConfigureAwait(false);
        await RequireAsync(caller, ExportPermission.ManageDestinations, stored?.Definition ?? input, $"test destination '{input.Name}'", cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(input.Name))
        {
            // Not saved, so any name does: it only appears in the test's messages.
            input.Name = "new-destination";
        }

        var clear = secrets.Merge(input, stored is not null && string.Equals(input.Type, stored.Definition.Type, StringComparison.OrdinalIgnoreCase) ? stored.Definition : null);
        Validate(clear, []);
        var tested = catalog.CreateUnstored(clear);
        try
        {
            return await tested.TestConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            (tested as IDisposable)?.Dispose();
        }
    }

    private static DestinationDefinition Normalized(DestinationDefinition destination)
    {
        // Setting names are not case-sensitive; a body may still spell one twice ("password" and "Password").
        if (CaseInsensitiveKeys.Twice(destination.Settings) is { } twice)
        {
            throw new ExportValidationException(
                $"Destination '{destination.Name?.Trim()}': setting '{twice[0]}' is given more than once ({CaseInsensitiveKeys.Quoted(twice)}); setting names are not case-sensitive.");
        }

        if (CaseInsensitiveKeys.Twice(destination.SharedWith) is { } contributor)
        {
            throw new ExportValidationException(
                $"Destination '{destination.Name?.Trim()}': SharedWith names '{contributor[0]}' more than once ({CaseInsensitiveKeys.Quoted(contributor)}); contributor names are not case-sensitive.");
        }

        var copy = destination.Clone();
        copy.Name = copy.Name?.Trim() ?? "";
        copy.Type = copy.Type?.Trim() ?? "";
        return copy;
    }

    private static List<string> NameProblems(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return ["Destination: Name is required."];
        }

        if (name.Length > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return [$"Destination '{DestinationPath.Printable(name)}': Name must be 1 to {MaxNameLength} letters, digits, '-', '_' or '.'."];
        }

        // Reserved: they are routes of the API (destinations/test) and the dashboard (#/destinations/new).
        return name.Equals("new", StringComparison.OrdinalIgnoreCase) || name.Equals("test", StringComparison.OrdinalIgnoreCase)
            ? [$"Destination '{name}': Name '{name}' is reserved; choose another."]
            : [];
    }

    /// <summary>Every problem at once: the name, the type and its settings (from the provider's catalog entry), the folder and the output.</summary>
    private void Validate(DestinationDefinition clear, List<string> problems)
    {
        // First, and alone: a destination that would use the host's identity or files is refused before its provider
        // looks at them (whose checks would tell, say, whether a key file exists on the host).
        if (DestinationHostCredentials.Problem(clear, secrets.Descriptor(clear.Type), options.CurrentValue) is { } hostCredentials)
        {
            throw new ExportValidationException([.. problems, hostCredentials]);
        }

        problems.AddRange(DestinationValidator.Validate(clear, providers, formats));
        if (string.Equals(clear.Type, LocalFolderDestinationProvider.TypeName, StringComparison.OrdinalIgnoreCase) && LocalPathProblem(clear) is { } local)
        {
            problems.Add(local);
        }

        foreach (var (contributor, _) in clear.SharedWith.Where(s => string.IsNullOrWhiteSpace(s.Key)))
        {
            problems.Add($"Destination '{clear.Name}': SharedWith has an empty contributor name '{contributor}'.");
        }

        if (problems.Count > 0)
        {
            throw new ExportValidationException(problems);
        }
    }

    /// <summary>
    /// A local folder created at run time writes only under <see cref="ExportsOptions.RunTimeLocalRoot"/>, and never into
    /// the file store's folder or a folder above it, compared after following symbolic links. A relative path is taken
    /// under the root and saved as the full path, since the destination itself would resolve it against the working directory.
    /// </summary>
    private string? LocalPathProblem(DestinationDefinition clear)
    {
        if (options.CurrentValue.RunTimeLocalRoot is not { Length: > 0 } root)
        {
            return $"Destination '{clear.Name}': local folders cannot be created at run time unless Exports:RunTimeLocalRoot names the folder they must stay under.";
        }

        var path = clear.Settings.GetValueOrDefault("path");
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var rootPath = Folder(Path.GetFullPath(root));
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(rootPath, path));
        string NotUnderRoot(string why) => $"Destination '{clear.Name}': setting 'path' must be a folder under Exports:RunTimeLocalRoot ('{root}'), not '{path}'{why}.";
        if (!Folder(full).StartsWith(rootPath, StringComparison.Ordinal))
        {
            return NotUnderRoot("");
        }

        // Compared as written to: a symbolic link under the root could otherwise lead out of it, or into the store.
        var target = string.IsNullOrEmpty(clear.FolderPath) ? full : Path.GetFullPath(Path.Combine(full, clear.FolderPath.TrimStart('/')));
        string written, store;
        try
        {
            written = Folder(ResolvedPath.Of(target));
            store = Folder(ResolvedPath.Of(options.CurrentValue.StorePath));
            rootPath = Folder(ResolvedPath.Of(rootPath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return NotUnderRoot(ex is ResolvedPath.LoopException ? " (too many symbolic links)" : " (a folder on the way cannot be read)");
        }

        // File systems that ignore case are compared so: a link's target may be spelled in another case.
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (!written.StartsWith(rootPath, comparison))
        {
            return NotUnderRoot(" (a symbolic link leads out of it)");
        }

        // Neither inside the store's folder nor above it: exports write into subfolders of their destination too (a
        // dataset export's folder template).
        if (written.StartsWith(store, comparison) || store.StartsWith(written, comparison))
        {
            return $"Destination '{clear.Name}': setting 'path' ('{path}'{(string.IsNullOrEmpty(clear.FolderPath) ? "" : $", with FolderPath '{clear.FolderPath}'")}) is the store's folder (Exports:StorePath), inside it or above it; choose another folder.";
        }

        clear.Settings["path"] = full;
        return null;

        static string Folder(string fullPath) => Path.TrimEndingDirectorySeparator(fullPath) + Path.DirectorySeparatorChar;
    }

    /// <summary>The exports (declared and stored dataflows and dataset exports) whose destination this is.</summary>
    private async Task<List<string>> UsersAsync(string name, CancellationToken cancellationToken)
    {
        bool Uses(string destination) => string.Equals(destination, name, StringComparison.OrdinalIgnoreCase);
        var users = options.CurrentValue.Dataflows.Values.Where(d => Uses(d.Destination)).Select(d => d.Id)
            .Concat(options.CurrentValue.DatasetExports.Values.Where(d => Uses(d.Destination)).Select(d => d.Id)).ToList();
        await foreach (var stored in store.ListDataflowsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Uses(stored.Definition.Destination))
            {
                users.Add(stored.Definition.Id);
            }
        }

        await foreach (var stored in store.ListDatasetExportsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Uses(stored.Definition.Destination))
            {
                users.Add(stored.Definition.Id);
            }
        }

        return [.. users.Order(StringComparer.Ordinal)];
    }

    private async Task<(DestinationDefinition? Definition, StoredDestination? Stored)> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (options.CurrentValue.Destinations.TryGetValue(name, out var configured))
        {
            return (configured, null);
        }

        var stored = await store.GetDestinationAsync(name, cancellationToken).ConfigureAwait(false);
        return (stored?.Definition, stored);
    }

    private async Task<StoredDestination> RequireStoredAsync(ClaimsPrincipal caller, string name, string operation, CancellationToken cancellationToken)
    {
        // Checked before the lookup: whether a name exists is not told to who may not manage destinations.
        await RequireAsync(caller, ExportPermission.ManageDestinations, null, $"{operation} destination '{name}'", cancellationToken).ConfigureAwait(false);
        if (options.CurrentValue.Destinations.TryGetValue(name, out var configured))
        {
            throw new ExportValidationException($"Cannot {operation} destination '{configured.Name}': it is declared in code or configuration; change it there.");
        }

        return await store.GetDestinationAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new ExportNotFoundException($"There is no destination '{name}'.");
    }

    private Task RequireAsync(ClaimsPrincipal caller, ExportPermission permission, DestinationDefinition? destination, string operation, CancellationToken cancellationToken) =>
        policy.RequireAsync(caller, permission, destination, operation, cancellationToken);

    private static DestinationDefinition Masked(DestinationDefinition definition, Dictionary<string, string?> settings)
    {
        var copy = definition.Clone();
        copy.Settings = settings;
        return copy;
    }

    private async Task<ManagedDestination> ToManagedAsync(ClaimsPrincipal caller, DestinationDefinition definition, StoredDestination? stored, CancellationToken cancellationToken)
    {
        var (settings, secretState) = secrets.Mask(definition);
        return new ManagedDestination
        {
            Name = definition.Name,
            Type = definition.Type,
            Id = definition.Id,
            Settings = settings,
            Secrets = secretState,
            FolderPath = definition.FolderPath,
            Output = definition.Output.Clone(),
            SharedWith = new Dictionary<string, DestinationAccess>(definition.SharedWith, StringComparer.OrdinalIgnoreCase),
            // Declared ones change only with configuration: a hash of what a reader sees (never of a secret, which a
            // reader could then guess offline) is a stable token for them.
            ETag = stored?.ETag ?? "config-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                JsonSerializer.SerializeToUtf8Bytes(Masked(definition, settings), ExportStoreJsonContext.Default.DestinationDefinition)))[..16],
            IsReadOnly = stored is null,
            CreatedAt = stored?.CreatedAt,
            UpdatedAt = stored?.UpdatedAt,
            CanManage = stored is not null && await policy.IsAllowedAsync(caller, ExportPermission.ManageDestinations, definition, cancellationToken).ConfigureAwait(false),
        };
    }
}
