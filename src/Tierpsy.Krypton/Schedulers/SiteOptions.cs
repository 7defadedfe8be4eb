namespace Tierpsy.Krypton.Schedulers;

/// <summary>When the scheduler sends mail about a submission.</summary>
public enum MailOn
{
    /// <summary>When a job ends, however it ended (SLURM END, PBS <c>-m e</c>).</summary>
    End,

    /// <summary>Only when a job fails or is aborted (SLURM FAIL, PBS <c>-m a</c>).</summary>
    Fail,

    /// <summary>When a job begins, ends or fails (SLURM ALL, PBS <c>-m abe</c>).</summary>
    All,
}

/// <summary>
/// What a site asks of every job besides resources: mail, the account charged, and its own directives.
/// </summary>
/// <param name="Mail">The address the scheduler writes to; null for no mail.</param>
/// <param name="MailOn">When it writes.</param>
/// <param name="Account">
/// The account (SLURM, Torque) or project (PBS Pro) the jobs are charged to; null for the default.</param>
/// <param name="Directives">
/// Directive lines written verbatim after the generated ones (<c>#SBATCH --qos=long</c>).</param>
internal sealed record SiteOptions(
    string? Mail = null,
    MailOn MailOn = MailOn.End,
    string? Account = null,
    IReadOnlyList<string>? Directives = null
)
{
    /// <summary>PBS's <c>-m</c> letters for <see cref="MailOn"/>.</summary>
    public string PbsMailPoints =>
        MailOn switch
        {
            MailOn.Fail => "a",
            MailOn.All => "abe",
            _ => "e",
        };

    /// <summary>SLURM's <c>--mail-type</c> for <see cref="MailOn"/>.</summary>
    public string SlurmMailType => MailOn.ToString().ToUpperInvariant();

    /// <summary>The directive lines, none when there are none.</summary>
    public IReadOnlyList<string> Lines => Directives ?? [];
}
