using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Tierpsy.Krypton.Tasks;

/// <summary>
/// Writes <c>.krypton/parameters.schema.json</c> from the schema the Tierpsy.Krypton generator compiled into the build
/// (from its <c>[Parameter]</c> members), so editors complete and check <c>.krypton/parameters.json</c>. The file is
/// rewritten only when the schema changed (else just touched, for the target's inputs and outputs). A build without a
/// schema, or a missing assembly, is not an error: the task then does nothing.
/// </summary>
public sealed class WriteParameterSchema : Microsoft.Build.Utilities.Task
{
    /// <summary>The key the generator stores the schema under (ParameterSchemaWriter.MetadataKey).</summary>
    public const string MetadataKey = "Tierpsy.Krypton.ParameterSchema";

    /// <summary>The compiled build assembly.</summary>
    [Required]
    public string Assembly { get; set; } = "";

    /// <summary>Where the schema goes, usually <c>$(KryptonRoot).krypton/parameters.schema.json</c>.</summary>
    [Required]
    public string SchemaFile { get; set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        if (!File.Exists(Assembly))
        {
            Log.LogMessage(MessageImportance.Low, $"No parameter schema written: {Assembly} does not exist.");
            return true;
        }
        var schema = SchemaMetadata.Read(Assembly, MetadataKey);
        if (schema is null)
        {
            Log.LogMessage(
                MessageImportance.Low,
                $"No parameter schema written: {Path.GetFileName(Assembly)} has no [Parameter] members (no class "
                    + $"derives from BuildBase)."
            );
            return true;
        }
        try
        {
            if (File.Exists(SchemaFile) && File.ReadAllText(SchemaFile) == schema)
            {
                File.SetLastWriteTimeUtc(SchemaFile, DateTime.UtcNow);
                return true;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(SchemaFile))!);
            File.WriteAllText(SchemaFile, schema);
            Log.LogMessage(MessageImportance.Normal, $"Wrote the parameter schema {SchemaFile}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An editor aid: a read-only checkout must not break the build.
            Log.LogWarning(
                null,
                "KRY100",
                null,
                SchemaFile,
                0,
                0,
                0,
                0,
                $"Could not write the parameter schema {SchemaFile}: {e.Message} Editors will not complete "
                    + $".krypton/parameters.json until it can be written."
            );
        }
        return true;
    }
}
