using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Workflow;

/// <summary>The build's log, as the copies report to it.</summary>
internal sealed class BuildTransferLog(BuildLog log) : ITransferLog
{
    public bool UseColor => log.UseColor;

    public void Info(string message) => log.Info(message);

    public void Verbose(string message) => log.Verbose(message);
}
