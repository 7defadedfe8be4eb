namespace Tierpsy.Krypton.Transfer;

/// <summary>
/// What copies tell the user: progress lines, details at verbose level, and whether a live line may be drawn.
/// </summary>
internal interface ITransferLog
{
    /// <summary>Whether the output is a terminal that shows colours (and so a line rewritten in place).</summary>
    bool UseColor { get; }

    /// <summary>A line the user reads at normal verbosity.</summary>
    void Info(string message);

    /// <summary>A detail shown with --verbosity verbose.</summary>
    void Verbose(string message);
}
