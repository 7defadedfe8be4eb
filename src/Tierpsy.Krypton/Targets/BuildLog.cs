using Spectre.Console;

namespace Tierpsy.Krypton.Targets;

/// <summary>Where targets write what they do. Honours <c>--verbosity</c> and <c>NO_COLOR</c>.</summary>
public sealed class BuildLog
{
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly object _gate = new();

    internal BuildLog(
        TextWriter output,
        TextWriter error,
        bool color,
        Verbosity verbosity,
        IAnsiConsole? terminal = null
    )
    {
        Terminal = terminal;
        _output = output;
        _error = error;
        UseColor = color;
        Verbosity = verbosity;
    }

    /// <summary>The verbosity chosen with <c>--verbosity</c>.</summary>
    public Verbosity Verbosity { get; }

    /// <summary>
    /// Whether output may contain ANSI colours (false when <c>NO_COLOR</c> is set or output is redirected).
    /// </summary>
    public bool UseColor { get; }

    /// <summary>The terminal for live views; null when the output is not one (then print plain lines).</summary>
    internal IAnsiConsole? Terminal { get; }

    /// <summary>Normal progress information.</summary>
    public void Info(string message)
    {
        if (Verbosity >= Verbosity.Normal)
            Write(_output, message, null);
    }

    /// <summary>Detail shown only with <c>--verbosity verbose</c>.</summary>
    public void Verbose(string message)
    {
        if (Verbosity >= Verbosity.Verbose)
            Write(_output, message, "90");
    }

    /// <summary>Good news worth a colour.</summary>
    public void Success(string message)
    {
        if (Verbosity >= Verbosity.Normal)
            Write(_output, message, "32");
    }

    /// <summary>Something the user should look at; always shown.</summary>
    public void Warning(string message) => Write(_error, "warning: " + message, "33");

    /// <summary>An error; always shown.</summary>
    public void Error(string message) => Write(_error, "error: " + message, "31");

    internal void Header(string title)
    {
        if (Verbosity >= Verbosity.Normal)
            Write(_output, $"── {title} " + new string('─', Math.Max(3, 60 - title.Length)), "1;36");
    }

    /// <summary>Prints text as it is, whatever the verbosity: tables, totals, help.</summary>
    public void Plain(string text) => Write(_output, text.TrimEnd('\n', '\r'), null);

    private void Write(TextWriter writer, string message, string? ansi)
    {
        lock (_gate)
        {
            writer.WriteLine(UseColor && ansi is not null ? $"\u001b[{ansi}m{message}\u001b[0m" : message);
            writer.Flush();
        }
    }
}
