using System.Text.Json;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Workflow;

public abstract partial class TierpsyBuild
{
    /// <summary>
    /// Tierpsy works in the final folders, with no temporary folder (<c>--tmp_dir_root ''</c>), for a site whose
    /// storage has no room for the temporary copies. A killed task then resumes from what it left in the final
    /// folders.
    /// </summary>
    [Parameter("Tierpsy works in MaskedVideos/ and Results/ directly, without the temporary folder Tmp/")]
    public bool NoTmp { get; set; }

    /// <summary>
    /// What Tierpsy analyses: the raw videos, or the masked videos again from <see cref="StartPoint"/> (the manual's
    /// re-analysis: no video root, <c>*.hdf5</c>, <c>--force_start_point</c>).
    /// </summary>
    [Parameter("What Tierpsy analyses: raw (RawVideos/), or masked to analyse MaskedVideos/ again from --start-point")]
    public VideoSource From { get; set; } = VideoSource.Raw;

    /// <summary>With <c>--from masked</c>: the checkpoint the re-analysis starts at.</summary>
    [Parameter("With --from masked: the checkpoint the analysis starts at (Tierpsy's --force_start_point)")]
    public string StartPoint { get; set; } = "TRAJ_CREATE";

    /// <summary>The checkpoint a re-analysis from masked videos starts at; null for raw videos.</summary>
    private string? CheckedStartPoint()
    {
        if (From != VideoSource.Masked)
            return null;
        var after = Checkpoints.Tierpsy.Skip(1).ToList(); // COMPRESS makes the masked videos: not a start
        return after.Contains(StartPoint)
            ? StartPoint
            : throw new ArgumentException(
                $"--start-point '{StartPoint}' is not a checkpoint a re-analysis from masked videos can start at. "
                    + $"Choose one of {string.Join(", ", after)}."
            );
    }

    /// <summary>The listing of this run (set by ListFiles; Submit uses it).</summary>
    private protected ListingResult? Listing { get; private set; }

    /// <summary>Asks Tierpsy on the cluster which videos still need processing.</summary>
    public virtual Target ListFiles =>
        _ =>
            _.Description("Asks Tierpsy on the cluster which videos still need processing")
                .After(Stage)
                .Executes(async ct =>
                {
                    Listing = await ListAsync(ct);
                    if (Listing is not null)
                        PrintCounts(Listing);
                });

    /// <summary>
    /// Uploads the parameter file, runs the listing, keeps its output and task list in workspace/ on the cluster
    /// and in .krypton/state/listing/ here. Null in a dry run.
    /// </summary>
    /// <param name="ct">Cancels the listing.</param>
    /// <param name="unmet">Also list each invalid video with the requirement it does not meet.</param>
    private protected async Task<ListingResult?> ListAsync(CancellationToken ct, bool unmet = false)
    {
        CheckRemoteRootForTierpsy();
        var json = CheckParamsFile();
        var remote = await ConnectAsync(ct);
        var layout = await LayoutAsync(ct);
        var remoteJson = RemotePath.Combine(layout.AuxiliaryFiles, json.Name);
        await remote.WriteTextAsync(remoteJson, await File.ReadAllTextAsync(json, ct), ct);
        var start = CheckedStartPoint();
        var options = new ListingOptions
        {
            VideoRoot = start is null ? layout.RawVideos : null,
            StartPoint = start,
            MaskRoot = layout.MaskedVideos,
            ResultsRoot = layout.Results,
            TmpRoot = NoTmp ? "" : layout.Tmp,
            JsonFile = remoteJson,
            Pattern = start is null ? Pattern : "*.hdf5",
            UnmetRequirements = unmet,
        };
        if (IsDryRun)
        {
            await remote.RunAsync(ListingRun.Command(options, TierpsySetup), cancellationToken: ct);
            if (State.LastListingOutput() is not { } kept)
                return null;
            Log.Info("[dry-run] Continuing with the listing kept in .krypton/state/listing/ from the last ListFiles.");
            return ListingParser.Parse(kept);
        }

        Log.Info($"Listing the videos below {layout.RawVideos} on {remote.Description} ...");
        ListingResult listing;
        string output;
        try
        {
            (listing, output) = await ListingRun.RunAsync(remote, options, TierpsySetup, ct);
        }
        catch (ListingException)
        {
            State.SaveListing("(the listing failed; see the error)", []);
            throw;
        }
        var taskLines = listing.Tasks.Select(t => t.ToShell()).ToList();
        await remote.WriteTextAsync(RemotePath.Combine(layout.Workspace, "tierpsy_output.txt"), output, ct);
        await remote.WriteTextAsync(
            RemotePath.Combine(layout.Workspace, "files2process.txt"),
            string.Join("\n", taskLines) + (taskLines.Count > 0 ? "\n" : ""),
            ct
        );
        State.SaveListing(output, taskLines);
        return listing;
    }

    /// <summary>The local parameter file, checked before anything happens on the cluster.</summary>
    private AbsolutePath CheckParamsFile()
    {
        if (ParamsFile is null)
            throw new InvalidOperationException(
                "No Tierpsy parameter file: set \"ParamsFile\" in .krypton/parameters.json (for example "
                    + "AuxiliaryFiles/loopbio_rig_96WP_splitFOV_NN_20220310.json) or --params-file."
            );
        if (!File.Exists(ParamsFile))
            throw new FileNotFoundException(
                $"The Tierpsy parameter file {ParamsFile} does not exist. Check \"ParamsFile\" in "
                    + $".krypton/parameters.json. Nothing was done on the cluster."
            );
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(ParamsFile));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException(
                    $"The Tierpsy parameter file {ParamsFile} must hold one JSON object of parameters. Nothing was "
                        + $"done on the cluster."
                );
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"The Tierpsy parameter file {ParamsFile} is not valid JSON (line {e.LineNumber + 1}, column "
                    + $"{e.BytePositionInLine + 1}); Tierpsy would reject it. Nothing was done on the cluster."
            );
        }
        return ParamsFile;
    }

    private void PrintCounts(ListingResult listing)
    {
        Log.Plain(
            $"""
            {(From == VideoSource.Masked ? $"Masked videos, from {StartPoint}" : $"Videos (pattern {Pattern})")}:
              to process  {listing.ToProcess, 6}   ({listing.Unprocessed} unprocessed, {listing.Incomplete} incomplete)
              finished    {listing.Finished, 6}
              invalid     {listing.Invalid, 6}
            """
        );
    }
}
