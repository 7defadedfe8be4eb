namespace Tierpsy.Krypton.Remote;

/// <summary>
/// How to reach the cluster's login node. Built by <see cref="Resolve"/> from the parameters and ~/.ssh/config.
/// </summary>
internal sealed record SshSettings
{
    /// <summary>The host name or address to connect to.</summary>
    public required string Host { get; init; }

    /// <summary>The SSH port.</summary>
    public int Port { get; init; } = 22;

    /// <summary>The user on the cluster.</summary>
    public required string User { get; init; }

    /// <summary>Private keys to try, in order.</summary>
    public IReadOnlyList<string> IdentityFiles { get; init; } = [];

    /// <summary>The passphrase of the keys; never printed or stored.</summary>
    public string? Passphrase { get; init; }

    /// <summary>The OpenSSH known_hosts file that host keys are checked against.</summary>
    public required string KnownHostsPath { get; init; }

    /// <summary>A fingerprint (<c>SHA256:…</c>) the user accepts for a host not yet in known_hosts.</summary>
    public string? AcceptFingerprint { get; init; }

    /// <summary>One jump host, <c>[user@]host[:port]</c>, as ProxyJump writes it.</summary>
    public string? ProxyJump { get; init; }

    /// <summary>
    /// The socket of an ssh-agent whose keys are tried after the key files (<c>SSH_AUTH_SOCK</c>); none when null.
    /// </summary>
    public string? AgentSocket { get; init; }

    /// <summary>How long connecting may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The round trip to the login node when it is known; measured on the first SFTP session when null. A machine
    /// busy with other work can answer a nearby request late, so tests of what a near link does say it is near.
    /// </summary>
    public TimeSpan? RoundTrip { get; init; }

    /// <summary>The key files ssh tries when none is configured, in its order.</summary>
    private static readonly string[] DefaultKeys = ["id_ed25519", "id_ecdsa", "id_rsa"];

    /// <summary>
    /// Combines the parameters with <c>~/.ssh/config</c> (parameters win): the host may be an alias there, whose
    /// HostName, User, Port, IdentityFile and ProxyJump are used.
    /// </summary>
    public static SshSettings Resolve(
        string host,
        int? port,
        string? user,
        IReadOnlyList<string> identityFiles,
        string? passphrase,
        string? acceptFingerprint,
        string homeDirectory,
        string? configPath = null,
        string? knownHostsPath = null
    )
    {
        var config = configPath ?? Path.Combine(homeDirectory, ".ssh", "config");
        var fromConfig = File.Exists(config)
            ? SshConfigFile.Resolve(File.ReadAllText(config), host, homeDirectory)
            : new SshHostConfig(null, null, null, [], null);
        var identities =
            identityFiles.Count > 0 ? identityFiles
            : fromConfig.IdentityFiles.Count > 0 ? fromConfig.IdentityFiles
            : DefaultKeys.Select(n => Path.Combine(homeDirectory, ".ssh", n)).Where(File.Exists).ToList();
        return new SshSettings
        {
            Host = fromConfig.HostName ?? host,
            Port = port ?? fromConfig.Port ?? 22,
            User = user
                ?? fromConfig.User
                ?? throw new RemoteException(
                    $"No user for {host}: set --user (or \"User\" in .krypton/parameters.json), or a User line for "
                        + $"Host {host} in ~/.ssh/config."
                ),
            IdentityFiles = identities,
            Passphrase = passphrase,
            KnownHostsPath = knownHostsPath ?? Path.Combine(homeDirectory, ".ssh", "known_hosts"),
            AcceptFingerprint = acceptFingerprint,
            ProxyJump = fromConfig.ProxyJump,
        };
    }
}
