using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using Renci.SshNet;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Remote;

/// <summary>
/// One long-lived login bash on the login node that runs the commands sent on its stdin, one at a time, each in a
/// subshell with stdin from /dev/null. Every command sees the environment of a login shell (the user's start-up
/// files: modules, conda, the PATH to qsub), set up once per shell instead of once per command: on login nodes whose
/// start-up files take a second, that second was most of what a short command cost.
/// </summary>
/// <remarks>
/// After each command the shell prints a marker with a random token and the exit status on stdout, and the marker
/// alone on stderr; what came before them is the command's output. Where the shell cannot start (no bash, or a
/// login shell that does not run it), it never prints the first marker, and <see cref="StartAsync"/> returns null.
/// </remarks>
internal sealed class RemoteShell : IDisposable
{
    private const string Ready = "ready";
    private readonly SshCommand _channel;
    private readonly Task _lifetime;
    private readonly Stream _input;
    private readonly MarkedStream _output;
    private readonly MarkedStream _error;
    private readonly Encoding _encoding;

    private RemoteShell(
        SshCommand channel,
        Task lifetime,
        Stream input,
        MarkedStream output,
        MarkedStream error,
        Encoding encoding
    ) =>
        (_channel, _lifetime, _input, _output, _error, _encoding) = (channel, lifetime, input, output, error, encoding);

    /// <summary>False once the shell has ended (connection lost, killed after a timeout).</summary>
    public bool IsAlive => !_lifetime.IsCompleted;

    /// <summary>
    /// The command line sshd runs: a login bash (so /etc/profile, /etc/profile.d and ~/.bash_profile set the PATH
    /// and modules, as in the user's own terminal: a site's scheduler is often on that PATH only), which prints the
    /// first marker, then reads commands.
    /// </summary>
    internal static string LoopCommand(string token) => "exec bash -l -c " + ShellQuote.Word(Loop(token));

    private static string Loop(string token) =>
        "if [ -n \"${BASH_VERSION:-}\" ]; then "
        + $"printf '\\0%s {Ready}\\n' {token}; printf '\\0%s {Ready}\\n' {token} >&2; "
        + "while IFS= read -r -d '' __krypton_command; do "
        + "( eval \"$__krypton_command\" ) </dev/null; __krypton_status=$?; "
        + $"printf '\\0%s %d\\n' {token} \"$__krypton_status\"; printf '\\0%s %d\\n' {token} \"$__krypton_status\" "
        + $">&2; "
        + "done; fi";

    /// <summary>How long a shell may take to start before <see cref="StartAsync"/> says what it waits for.</summary>
    public static readonly TimeSpan SlowStart = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Starts a shell; null when the login shell cannot run it (not bash), so each command needs a channel of its own.
    /// </summary>
    /// <param name="ssh">The connection.</param>
    /// <param name="timeout">How long the login shell may take to start.</param>
    /// <param name="slow">Called once when the shell has not started after <see cref="SlowStart"/>.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    public static async Task<RemoteShell?> StartAsync(
        SshClient ssh,
        TimeSpan timeout,
        Action? slow,
        CancellationToken cancellationToken
    )
    {
        var token = "krypton-" + Guid.NewGuid().ToString("N");
        var marker = Encoding.ASCII.GetBytes("\0" + token + " ");
        var channel = ssh.CreateCommand(LoopCommand(token));
        channel.CommandTimeout = Timeout.InfiniteTimeSpan;
        var lifetime = channel.ExecuteAsync(CancellationToken.None);
        var shell = new RemoteShell(
            channel,
            lifetime,
            channel.CreateInputStream(),
            new MarkedStream(channel.OutputStream, marker),
            new MarkedStream(channel.ExtendedOutputStream, marker),
            ssh.ConnectionInfo.Encoding
        );
        try
        {
            var started = shell.ReadBothAsync(timeout, cancellationToken);
            if (slow is not null && await Task.WhenAny(started, Task.Delay(SlowStart, cancellationToken)) != started)
                slow();
            var (output, error) = await started;
            if (output.Suffix == Ready && error.Suffix == Ready)
                return shell;
        }
        catch (ChannelClosedException)
        {
            // Not bash: the login shell ran the command line as something else and ended.
        }
        catch (TimeoutException)
        {
            // Nothing is running yet, so giving up is safe; commands then take a channel each.
        }
        shell.Dispose();
        return null;
    }

    /// <summary>Runs one command and returns what it printed and its exit status.</summary>
    /// <exception cref="TimeoutException">
    /// The command ran longer than <paramref name="timeout"/>; the shell is ended.</exception>
    /// <exception cref="ChannelClosedException">The shell ended (connection lost) before the command did.</exception>
    public async Task<CommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (command.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException("A shell command cannot contain a NUL character.", nameof(command));
        var bytes = _encoding.GetBytes(command + "\0");
        await Task.Run(
            () =>
            {
                _input.Write(bytes);
                _input.Flush();
            },
            cancellationToken
        );
        var (output, error) = await ReadBothAsync(timeout, cancellationToken);
        return new CommandResult(
            int.TryParse(output.Suffix, out var code) ? code : -1,
            _encoding.GetString(output.Before),
            _encoding.GetString(error.Before)
        );
    }

    /// <summary>What stdout and stderr carried up to their next markers.</summary>
    private async Task<((byte[] Before, string Suffix) Output, (byte[] Before, string Suffix) Error)> ReadBothAsync(
        TimeSpan timeout,
        CancellationToken cancellationToken
    )
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var output = _output.NextAsync(limit.Token).AsTask();
            var error = _error.NextAsync(limit.Token).AsTask();
            await Task.WhenAll(output, error);
            return (output.Result, error.Result);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Dispose();
            throw new TimeoutException();
        }
        catch (OperationCanceledException)
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Ends the shell: stdin closed, the channel closed.</summary>
    public void Dispose()
    {
        try
        {
            _input.Dispose();
        }
        catch (Exception e)
            when (e
                    is ObjectDisposedException
                        or InvalidOperationException
                        or Renci.SshNet.Common.SshException
                        or IOException
            ) { }
        _channel.Dispose();
    }

    /// <summary>
    /// Reads a stream on a thread of its own and hands out, part by part, what came before each marker and the word
    /// after it. The reader completes when the stream ends.
    /// </summary>
    private sealed class MarkedStream
    {
        private readonly Stream _stream;
        private readonly byte[] _marker;
        private readonly Channel<(byte[] Before, string Suffix)> _parts = Channel.CreateUnbounded<(byte[], string)>();

        public MarkedStream(Stream stream, byte[] marker)
        {
            (_stream, _marker) = (stream, marker);
            new Thread(Pump) { IsBackground = true, Name = "krypton remote shell reader" }.Start();
        }

        public ValueTask<(byte[] Before, string Suffix)> NextAsync(CancellationToken cancellationToken) =>
            _parts.Reader.ReadAsync(cancellationToken);

        private void Pump()
        {
            var pending = new List<byte>();
            var buffer = new byte[64 * 1024];
            var searched = 0;
            try
            {
                int read;
                while ((read = _stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    pending.AddRange(buffer.AsSpan(0, read));
                    searched = EmitParts(pending, searched);
                }
            }
            catch (Exception e) when (e is ObjectDisposedException or IOException or Renci.SshNet.Common.SshException)
            {
                // The channel closed under the reader: the same as the end of the stream.
            }
            _parts.Writer.TryComplete();
        }

        /// <summary>
        /// Hands out every complete part in <paramref name="pending"/>; returns where the next search may start.
        /// </summary>
        private int EmitParts(List<byte> pending, int searched)
        {
            while (true)
            {
                var span = CollectionsMarshal.AsSpan(pending);
                var from = Math.Max(0, searched - _marker.Length);
                var at = span[from..].IndexOf(_marker);
                if (at < 0)
                    return span.Length;
                at += from;
                var end = span[(at + _marker.Length)..].IndexOf((byte)'\n');
                if (end < 0)
                    return at; // the marker's word is still on its way
                end += at + _marker.Length;
                var suffix = Encoding.ASCII.GetString(span[(at + _marker.Length)..end]);
                _parts.Writer.TryWrite((span[..at].ToArray(), suffix));
                pending.RemoveRange(0, end + 1);
                searched = 0;
            }
        }
    }
}
