import { describe, expect, it } from "vitest";
import { seniorityFromTitle } from "@/lib/lead/seniority";

describe("seniorityFromTitle", () => {
  it.each([
    // C-level
    ["CEO", "c_level"], ["C.E.O.", "c_level"], ["Co-Founder & CTO", "c_level"], ["Founder", "c_level"],
    ["Owner", "c_level"], ["President", "c_level"], ["Chief Revenue Officer", "c_level"], ["CISO", "c_level"],
    ["Managing Director", "c_level"], ["Executive Director", "c_level"], ["Managing Partner", "c_level"],
    ["Partner", "c_level"], ["Senior Partner", "c_level"], ["Chairman of the Board", "c_level"],
    ["Geschäftsführer", "c_level"], ["Inhaberin", "c_level"], ["Directeur Général", "c_level"],
    ["Président-directeur général", "c_level"], ["PDG", "c_level"], ["Director General", "c_level"],
    ["Diretor Executivo", "c_level"], ["Amministratore Delegato", "c_level"], ["Gerente General", "c_level"],
    // VP
    ["Vice President of Sales", "vp"], ["VP Sales", "vp"], ["V.P. Marketing", "vp"], ["SVP Engineering", "vp"],
    ["EVP, Operations", "vp"], ["Vice-President", "vp"], ["Vizepräsident Vertrieb", "vp"],
    // Director
    ["AVP, Risk", "director"], ["Assistant Vice President", "director"], ["Head of Growth", "director"],
    ["Director of IT", "director"], ["Sr. Director, Demand Gen", "director"], ["General Manager", "director"],
    ["Chief of Staff", "director"], ["Leiter Vertrieb", "director"], ["Directrice commerciale", "director"],
    ["Direttore Vendite", "director"],
    // Manager
    ["Product Manager", "manager"], ["Engineering Manager", "manager"], ["Team Lead", "manager"],
    ["Sales Team Leader", "manager"], ["Teamleiterin Einkauf", "manager"], ["Gerente de Ventas", "manager"],
    ["Responsable marketing", "manager"], ["Jefe de compras", "manager"], ["Supervisor", "manager"],
    ["Assistant Director", "manager"], ["Associate Director", "manager"], ["Deputy Head of Sales", "manager"],
    ["Partner Manager", "manager"], ["Channel Partner Manager", "manager"],
    // Individual
    ["Software Engineer", "individual"], ["Account Executive", "individual"], ["Data Scientist", "individual"],
    ["Lead Generation Specialist", "individual"], ["Executive Assistant to the CEO", "individual"],
    ["Assistant to the CFO", "individual"], ["Marketing Intern", "individual"], ["Student", "individual"],
    ["Werkstudent", "individual"], ["Assistant Manager", "individual"], ["Consultant", "individual"],
    ["研究员", "individual"],
  ])("%j → %s", (title, level) => {
    expect(seniorityFromTitle(title)).toBe(level);
  });

  it.each(["", "   ", "\u200B", null, undefined])("%j → null", (title) => {
    expect(seniorityFromTitle(title)).toBeNull();
  });
});
