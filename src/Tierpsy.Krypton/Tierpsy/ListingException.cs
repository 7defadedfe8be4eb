namespace Tierpsy.Krypton.Tierpsy;

/// <summary>Why a listing cannot be used.</summary>
internal enum ListingFailure
{
    /// <summary>Tierpsy crashed for a reason not listed here; the message quotes its last error line.</summary>
    Crashed,

    /// <summary><c>tierpsy_process</c> is not on the PATH the setup lines make.</summary>
    TierpsyNotFound,

    /// <summary>Tierpsy rejected a key of the parameter file (made for another Tierpsy version).</summary>
    ParameterFileRejected,

    /// <summary>Tierpsy's environment lacks a Python module.</summary>
    ModuleMissing,

    /// <summary>A folder given to Tierpsy does not exist (it crashes with <c>FileNotFoundError</c>).</summary>
    FolderMissing,

    /// <summary>The listing printed nothing and exited with 0.</summary>
    NoOutput,

    /// <summary>The output is not a listing, or in a format this version does not know.</summary>
    UnknownFormat,

    /// <summary>The listing ran and matched no video.</summary>
    NoVideoMatched,

    /// <summary>The counts and the command lines do not agree, or a command line cannot be read.</summary>
    Inconsistent,
}

/// <summary>
/// The listing failed or printed something that cannot be trusted; the message says why and what to do.
/// </summary>
internal sealed class ListingException(ListingFailure reason, string message) : Exception(message)
{
    /// <summary>Why the listing cannot be used.</summary>
    public ListingFailure Reason { get; } = reason;
}
