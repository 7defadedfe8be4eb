namespace Tierpsy.Krypton.Generators.Build;

/// <summary>
/// A <c>[Parameter]</c> member of a build class, as the schema and the parameters.json check need it.
/// </summary>
/// <param name="Name">The parameter's name (the member's, or the attribute's Name).</param>
/// <param name="Description">The attribute's description.</param>
/// <param name="Schema">Its JSON schema (type, enum values, items) as JSON text, without the description.</param>
/// <param name="Secret">Marked [Secret]: never written into a file, so left out of the schema.</param>
internal sealed record BuildParameterInfo(string Name, string Description, string Schema, bool Secret);
