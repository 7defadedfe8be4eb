using System.Net.Sockets;
using System.Text.RegularExpressions;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Tierpsy.Krypton.Remote;

/// <summary>
/// Opens SSH.NET clients to the login node, directly or through the jump host's tunnel: it trusts only a host key
/// that known_hosts lists (or that the user accepted once, which adds it there) and logs in with the configured keys.
/// Every failure becomes a <see cref="RemoteException"/> that says what to check.
/// </summary>
internal sealed partial class SshConnector : IDisposable
{
    private readonly SshSettings _settings;
    private readonly IReadOnlyList<IPrivateKeySource> _keys;
    private SshClient? _jump;
    private ForwardedPortLocal? _tunnel;

    /// <exception cref="RemoteException">No key file, an unreadable one, or a passphrase missing or wrong.</exception>
    public SshConnector(SshSettings settings)
    {
        _settings = settings;
        _keys = LoadKeys(settings);
    }

    /// <summary>
    /// A new SSH connection to the login node. With a jump host, the jump connection and its tunnel are opened
    /// (again) first; the SFTP sessions opened after it go through the same tunnel.
    /// </summary>
    public async Task<SshClient> ConnectSshAsync(CancellationToken cancellationToken)
    {
        if (_settings.ProxyJump is { } jumpSpec)
        {
            var (jumpUser, jumpHost, jumpPort) = SshConfigFile.ParseJump(jumpSpec);
            _tunnel?.Dispose();
            _jump?.Dispose();
            _jump = new SshClient(Info(jumpHost, jumpPort ?? 22, jumpUser ?? _settings.User));
            await ConnectCheckedAsync(_jump, jumpHost, jumpPort ?? 22, cancellationToken);
            _tunnel = new ForwardedPortLocal("127.0.0.1", 0, _settings.Host, (uint)_settings.Port);
            _jump.AddForwardedPort(_tunnel);
            _tunnel.Start();
        }
        return await ConnectTargetAsync(new SshClient(TargetInfo()), cancellationToken);
    }

    /// <summary>
    /// How long one SFTP request (open, stat, a block read or written, rename) may wait for its answer: a login node
    /// answers in milliseconds, a busy file server in seconds; longer means the session is stuck.
    /// </summary>
    private static readonly TimeSpan SftpRequestTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A new SFTP session to the login node, with <paramref name="bufferSize"/> bytes per read or write request.
    /// </summary>
    public Task<SftpClient> ConnectSftpAsync(uint bufferSize, CancellationToken cancellationToken) =>
        ConnectTargetAsync(
            new SftpClient(TargetInfo()) { OperationTimeout = SftpRequestTimeout, BufferSize = bufferSize },
            cancellationToken
        );

    private async Task<T> ConnectTargetAsync<T>(T client, CancellationToken cancellationToken)
        where T : BaseClient
    {
        try
        {
            await ConnectCheckedAsync(client, _settings.Host, _settings.Port, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects a client, trusting only a host key that known_hosts lists for <paramref name="host"/> (or that the user
    /// accepted).
    /// </summary>
    private async Task ConnectCheckedAsync(
        BaseClient client,
        string host,
        int port,
        CancellationToken cancellationToken
    )
    {
        HostKeyStatus? refused = null;
        string fingerprint = "",
            keyType = "";
        client.HostKeyReceived += (_, e) =>
        {
            keyType = e.HostKeyName;
            fingerprint = KnownHosts.Fingerprint(e.HostKey);
            var lines = File.Exists(_settings.KnownHostsPath) ? File.ReadAllLines(_settings.KnownHostsPath) : [];
            var status = KnownHosts.Check(lines, host, port, e.HostKeyName, e.HostKey);
            if (status == HostKeyStatus.Unknown && _settings.AcceptFingerprint == fingerprint)
            {
                KnownHosts.Append(_settings.KnownHostsPath, host, port, e.HostKeyName, e.HostKey);
                status = HostKeyStatus.Known;
            }
            e.CanTrust = status == HostKeyStatus.Known;
            if (!e.CanTrust)
                refused = status;
        };
        try
        {
            await client.ConnectAsync(cancellationToken);
            // SSH.NET pins the TCP buffers small; larger ones let the window grow (SocketBuffers).
            SocketBuffers.Enlarge(client);
            DeadLinkDetection.Apply(client);
        }
        catch (SshConnectionException) when (refused is { } status)
        {
            throw new RemoteException(HostKeyMessage(status, host, port, keyType, fingerprint));
        }
        catch (SshAuthenticationException e)
        {
            throw new RemoteException(
                $"{_settings.User}@{host}:{port} refused the login ({e.Message}). Check --user, and that one of these "
                    + $"keys is in the cluster's authorized_keys: "
                    + $"{string.Join(", ", _settings.IdentityFiles)}. Nothing was done on the cluster.",
                e
            );
        }
        catch (Exception e) when (e is SocketException or SshOperationTimeoutException or SshConnectionException)
        {
            throw new RemoteException(
                $"Cannot reach {host}:{port} ({e.Message}). Check --host and --port, and "
                    + "that this computer can reach the cluster (VPN, jump host). Nothing was done "
                    + "on the cluster.",
                e
            )
            {
                Reason = RemoteFailure.Unreachable,
            };
        }
    }

    internal static string HostKeyMessage(
        HostKeyStatus status,
        string host,
        int port,
        string keyType,
        string fingerprint
    ) =>
        status switch
        {
            HostKeyStatus.Changed =>
                $"The host key of {KnownHosts.LookupName(host, port)} has CHANGED: known_hosts lists another "
                    + $"{keyType} key. Someone may be intercepting the connection, or the cluster's key was replaced. "
                    + $"Nothing was done. Ask the cluster's admins for its fingerprint; only if it is {fingerprint}, "
                    + $"remove the old key with ssh-keygen -R '{KnownHosts.LookupName(host, port)}' and run again "
                    + $"with --accept-host-key {fingerprint}.",
            HostKeyStatus.Revoked =>
                $"The host key of {KnownHosts.LookupName(host, port)} ({fingerprint}) is marked @revoked in "
                    + $"known_hosts. Nothing was done.",
            _ => $"The host {KnownHosts.LookupName(host, port)} is not in known_hosts yet. It presented the {keyType} "
                + $"key {fingerprint}. "
                + $"Nothing was done. If that is the cluster's fingerprint (ask its admins), accept it once with "
                + $"--accept-host-key {fingerprint}.",
        };

    /// <summary>
    /// A new ConnectionInfo for every client: SSH.NET's authentication methods keep state per connection.
    /// </summary>
    private ConnectionInfo Info(string host, int port, string user)
    {
        var info = new ConnectionInfo(host, port, user, new PrivateKeyAuthenticationMethod(user, _keys.ToArray()))
        {
            Timeout = _settings.ConnectTimeout,
        };
        PreferAesGcm(info.Encryptions);
        return info;
    }

    /// <summary>
    /// Offers AES-GCM first (SSH.NET offers AES-CTR with HMAC-SHA2 first): it needs no separate MAC pass, which the
    /// benchmark measured as faster copies, downloads most. Every other cipher stays offered, in its order.
    /// </summary>
    private static void PreferAesGcm(IDictionary<string, CipherInfo> ciphers)
    {
        var all = ciphers.ToList();
        ciphers.Clear();
        foreach (
            var cipher in all.OrderBy(c =>
                c.Key switch
                {
                    "aes128-gcm@openssh.com" => 0,
                    "aes256-gcm@openssh.com" => 1,
                    _ => 2,
                }
            )
        )
            ciphers.Add(cipher.Key, cipher.Value);
    }

    /// <summary>The login node, directly or through the jump host's tunnel.</summary>
    private ConnectionInfo TargetInfo() =>
        _tunnel is { IsStarted: true } tunnel
            ? Info("127.0.0.1", (int)tunnel.BoundPort, _settings.User)
            : Info(_settings.Host, _settings.Port, _settings.User);

    /// <summary>
    /// The key files' keys, then the ssh-agent's. A key file protected by a passphrase that was not given is left to
    /// the agent when the agent holds keys (it usually holds that one, added with ssh-add).
    /// </summary>
    private static List<IPrivateKeySource> LoadKeys(SshSettings settings)
    {
        var agent = settings.AgentSocket is { Length: > 0 } socket ? SshAgent.Keys(socket) : [];
        if (settings.IdentityFiles.Count == 0 && agent.Count == 0)
            throw new RemoteException(
                """
                No SSH key to log in with: no key file was given or found (~/.ssh/id_ed25519, id_ecdsa, id_rsa), and no
                ssh-agent holds one (SSH_AUTH_SOCK). Set --identity-file (or "IdentityFile": ["~/.ssh/id_ed25519"] in
                .krypton/parameters.json, or an IdentityFile line in ~/.ssh/config), or load your key with ssh-add.
                To make a key: ssh-keygen -t ed25519, then add the .pub file's line to ~/.ssh/authorized_keys on the
                cluster (ssh-copy-id does it).
                """
            );
        var keys = new List<IPrivateKeySource>();
        foreach (var file in settings.IdentityFiles)
        {
            if (!File.Exists(file))
                throw new RemoteException(
                    $"The SSH key {file} does not exist. Check --identity-file or IdentityFile in ~/.ssh/config."
                );
            if (IsPublicKey(file))
                throw new RemoteException(
                    $"The SSH key {file} is a public key (the line the cluster's authorized_keys "
                        + "holds). Give the private key instead: "
                        + $"{(file.EndsWith(".pub", StringComparison.Ordinal) ? file[..^4] : "the file without .pub")}."
                );
            try
            {
                keys.Add(
                    settings.Passphrase is { Length: > 0 } passphrase
                        ? new PrivateKeyFile(file, passphrase)
                        : new PrivateKeyFile(file)
                );
            }
            catch (SshPassPhraseNullOrEmptyException) when (agent.Count > 0)
            {
                // Protected and no passphrase given: the agent's keys are tried instead.
            }
            catch (SshPassPhraseNullOrEmptyException)
            {
                throw new RemoteException(
                    $"The SSH key {file} is protected by a passphrase. Load it into ssh-agent "
                        + "(ssh-add), or give the passphrase in the environment variable "
                        + "KRYPTON_KEY_PASSPHRASE (it is never printed or stored)."
                );
            }
            catch (Exception e) when (e is SshException or InvalidOperationException or ArgumentException)
            {
                throw new RemoteException(
                    $"Cannot read the SSH key {file}: {e.Message}"
                        + (settings.Passphrase is { Length: > 0 } ? " (is the passphrase right?)" : "")
                );
            }
        }
        keys.AddRange(agent);
        return keys;
    }

    /// <summary>Whether a key file holds an OpenSSH public key line (<c>ssh-ed25519 AAAA… comment</c>).</summary>
    private static bool IsPublicKey(string file)
    {
        using var reader = new StreamReader(file);
        var start = new char[64];
        var read = reader.ReadBlock(start, 0, start.Length);
        var text = new string(start, 0, read);
        return PublicKeyLine().IsMatch(text);
    }

    [GeneratedRegex(@"^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|sk-\S+) AAAA")]
    private static partial Regex PublicKeyLine();

    /// <summary>
    /// Closes the jump host's tunnel and connection (the clients this opened are their users' to close).
    /// </summary>
    public void Dispose()
    {
        _tunnel?.Dispose();
        _jump?.Dispose();
    }
}
